import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/**
 * The URL namespace of the server extension, under the server's base URL.
 */
export const API_NAMESPACE = 'conda-envs';

/**
 * A failed call to the server extension.
 *
 * It keeps the HTTP status so callers can tell "the server extension is not
 * there" (404 on a route that always exists, or no answer at all) from an
 * error the server reported on purpose.
 */
export class RequestError extends Error {
  constructor(options: RequestError.IOptions) {
    super(options.message);
    this.name = 'RequestError';
    this.status = options.status;
    this.url = options.url;
    this.body = options.body ?? null;
  }

  /**
   * The parsed JSON body of the error answer, when it had one: some routes
   * say more than a message (a 409 names the file that exists).
   */
  readonly body: unknown;

  /**
   * The HTTP status, or 0 when no response came back (network failure).
   */
  readonly status: number;

  /**
   * The URL that was requested.
   */
  readonly url: string;

  /**
   * Whether the request never got an HTTP response.
   */
  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export namespace RequestError {
  export interface IOptions {
    /**
     * The server's JSON `message`, else a description of the failure.
     */
    message: string;
    status: number;
    url: string;
    body?: unknown;
  }
}

/**
 * Call the server extension and parse its JSON answer.
 *
 * @param endPoint - the route below `conda-envs/`, e.g. `environments`
 * @param init - the fetch options (method, body, ...)
 * @param serverSettings - the server connection settings, from the service manager
 * @returns the response body parsed as JSON
 * @throws {RequestError} for a network failure, a non-2xx status or a body that is not JSON
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const { text, url, status } = await Private.fetchText(
    endPoint,
    init,
    serverSettings
  );
  if (text.length > 0) {
    try {
      return JSON.parse(text) as T;
    } catch {
      // Reported below.
    }
  }
  throw new RequestError({
    message: `Invalid JSON in the response from ${url}`,
    status,
    url
  });
}

/**
 * Call the server extension for a text answer (an exported environment
 * file); errors are reported as by `requestAPI`.
 *
 * @returns the response body as text
 */
export async function requestText(
  endPoint: string,
  init: RequestInit = {},
  serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<string> {
  return (await Private.fetchText(endPoint, init, serverSettings)).text;
}

namespace Private {
  /**
   * Fetch a route; a non-2xx answer throws with the server's JSON message
   * (and body) when it sent one.
   */
  export async function fetchText(
    endPoint: string,
    init: RequestInit,
    serverSettings: ServerConnection.ISettings
  ): Promise<{ text: string; url: string; status: number }> {
    const url = URLExt.join(serverSettings.baseUrl, API_NAMESPACE, endPoint);
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, serverSettings);
    } catch (reason) {
      throw new RequestError({
        message: reason instanceof Error ? reason.message : String(reason),
        status: 0,
        url
      });
    }
    const text = await response.text();
    if (!response.ok) {
      let data: unknown = null;
      try {
        data = text.length > 0 ? JSON.parse(text) : null;
      } catch {
        // Not JSON: e.g. the HTML 404 page the server gives for an unknown route.
      }
      throw new RequestError({
        message:
          messageOf(data) || `${response.status} ${response.statusText}`.trim(),
        status: response.status,
        url,
        body: data
      });
    }
    return { text, url, status: response.status };
  }

  /**
   * The `message` field of a JSON error body, if there is one.
   */
  export function messageOf(data: unknown): string {
    if (
      typeof data === 'object' &&
      data !== null &&
      'message' in data &&
      typeof (data as { message: unknown }).message === 'string'
    ) {
      return (data as { message: string }).message;
    }
    return '';
  }
}

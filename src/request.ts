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
  }

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
  let data: unknown = null;
  let parsed = false;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
      parsed = true;
    } catch {
      // Not JSON: e.g. the HTML 404 page the server gives for an unknown route.
    }
  }

  if (!response.ok) {
    throw new RequestError({
      message:
        Private.messageOf(data) ||
        `${response.status} ${response.statusText}`.trim(),
      status: response.status,
      url
    });
  }
  if (!parsed) {
    throw new RequestError({
      message: `Invalid JSON in the response from ${url}`,
      status: response.status,
      url
    });
  }
  return data as T;
}

namespace Private {
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

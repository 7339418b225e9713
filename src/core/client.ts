import { ServerConnection } from '@jupyterlab/services';

import { requestAPI, requestText } from './request';

/**
 * The base of the typed clients: each capability's client
 * (`src/<capability>/api.ts`) adds one method per route of its own, and
 * every request goes through `requestAPI` with the same server settings.
 *
 * Widgets and models use those clients, never `requestAPI` directly.
 */
export class ServerClient {
  constructor(options: ServerClient.IOptions = {}) {
    this.serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
  }

  /**
   * The server connection settings used for every request.
   */
  readonly serverSettings: ServerConnection.ISettings;

  /**
   * Call a route of the server extension for its JSON answer.
   */
  protected requestJSON<T>(endPoint: string, init: RequestInit): Promise<T> {
    return requestAPI<T>(endPoint, init, this.serverSettings);
  }

  /**
   * Call a route of the server extension for a text answer.
   */
  protected requestText(endPoint: string, init: RequestInit): Promise<string> {
    return requestText(endPoint, init, this.serverSettings);
  }
}

export namespace ServerClient {
  export interface IOptions {
    /**
     * The server settings; pass `app.serviceManager.serverSettings`.
     */
    serverSettings?: ServerConnection.ISettings;
  }
}

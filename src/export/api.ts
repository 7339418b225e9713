import { ServerClient } from '../core/client';
import type { ISpecFile } from './drift/specTypes';

export type { ISpecEntry, ISpecFile } from './drift/specTypes';

/*
 * The JSON shapes of the server extension's export, snapshot and spec file routes, field for field
 * as in docs/rest-api.md (and the server's `export/routes.py`). Keep them in step.
 */

/**
 * The forms an environment can be exported in: `conda env export`,
 * the same without builds, the specs asked for (with pip), `@EXPLICIT` URLs.
 */
export type ExportMode = 'full' | 'no-builds' | 'history' | 'explicit';

/**
 * Every export mode, in the order the UI offers them.
 */
export const EXPORT_MODES: ReadonlyArray<ExportMode> = [
  'history',
  'full',
  'no-builds',
  'explicit'
];

/**
 * What a notebook's metadata records of a snapshot (`conda_envs.snapshot`),
 * as `POST environments/{id}/snapshot` answers it.
 */
export interface SnapshotRecord {
  environment: string;
  environment_id: string;
  prefix: string;
  mode: ExportMode;
  python: string | null;
  digest: string;
  /** How many packages (conda and pip) the snapshot lists. */
  packages: number;
  /** UTC, ISO 8601. */
  created: string;
}

/**
 * The answer of `POST environments/{id}/snapshot`.
 */
export interface SnapshotResponse extends SnapshotRecord {
  /** The written file, server-root-relative. */
  file: string;
  /** Whether an existing file was replaced (only when asked). */
  replaced: boolean;
}

/**
 * The body of `POST environments/{id}/snapshot`.
 */
export interface SnapshotRequest {
  /** The notebook, server-root-relative: the file goes beside it. */
  path: string;
  mode?: ExportMode;
  /** A file name (no folders); by default `<notebook>.environment.yml`. */
  file?: string;
  overwrite?: boolean;
}

/**
 * The answer of `GET spec?path=`: an environment file of the workspace,
 * parsed into a package list.
 */
export interface SpecFileResponse {
  path: string;
  spec: ISpecFile;
}

/**
 * The client of the export, snapshot and spec file routes.
 */
export class ExportClient extends ServerClient {
  /**
   * `GET environments/{id}/export?mode=`: the environment file's text.
   */
  exportEnvironment(id: string, mode: ExportMode): Promise<string> {
    return this.requestText(
      `environments/${encodeURIComponent(id)}/export?mode=${encodeURIComponent(mode)}`,
      { method: 'GET' }
    );
  }

  /**
   * `POST environments/{id}/snapshot`: write the export beside a notebook.
   * A `RequestError` with status 409 means the file exists (its `body.file`
   * names it); ask, then call again with `overwrite: true`.
   */
  snapshot(id: string, request: SnapshotRequest): Promise<SnapshotResponse> {
    return this.requestJSON<SnapshotResponse>(
      `environments/${encodeURIComponent(id)}/snapshot`,
      { method: 'POST', body: JSON.stringify(request) }
    );
  }

  /**
   * `GET spec?path=`: parse an environment file of the workspace.
   */
  getSpecFile(path: string): Promise<SpecFileResponse> {
    return this.requestJSON<SpecFileResponse>(
      `spec?path=${encodeURIComponent(path)}`,
      { method: 'GET' }
    );
  }
}

import { ServerClient } from '../core/client';
import type { ISpecFile } from './drift/specTypes';

export type { ISpecEntry, ISpecFile } from './drift/specTypes';

/*
 * The JSON shapes of the server extension's export, snapshot and spec file routes, field for field
 * as in docs/rest-api.md (and the server's `export/routes.py`). Keep them in step.
 */

/**
 * The forms a snapshot can take: `conda env export`, the same without
 * builds, the specs asked for (with pip), `@EXPLICIT` URLs.
 */
export type SnapshotMode = 'full' | 'no-builds' | 'history' | 'explicit';

/**
 * Every form an environment can be exported in: the snapshot forms and
 * `conda export --format requirements` (a download, not a snapshot: drift
 * reads snapshots back as environment.yml or `@EXPLICIT` files).
 */
export type ExportMode = SnapshotMode | 'requirements';

/**
 * Every snapshot mode, in the order the settings offer them.
 */
export const SNAPSHOT_MODES: ReadonlyArray<SnapshotMode> = [
  'history',
  'full',
  'no-builds',
  'explicit'
];

/**
 * Every export mode, in the order the export dialog offers them.
 */
export const EXPORT_MODES: ReadonlyArray<ExportMode> = [
  ...SNAPSHOT_MODES,
  'requirements'
];

/**
 * What a notebook's metadata records of a snapshot (`conda_envs.snapshot`),
 * as `POST environments/{id}/snapshot` answers it.
 */
export interface SnapshotRecord {
  environment: string;
  environment_id: string;
  prefix: string;
  mode: SnapshotMode;
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
  mode?: SnapshotMode;
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

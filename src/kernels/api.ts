import { ServerClient } from '../core/client';

/*
 * The JSON shapes of the server extension's project environment routes, field for field
 * as in docs/rest-api.md (and the server's `kernels/routes.py`). Keep them in step.
 */

/**
 * How a project environment was found: an `environment.yml` naming an
 * existing environment, or a project-local prefix (`./env`, `.conda`,
 * `.pixi/envs/default`).
 */
export type ProjectSource = 'environment.yml' | 'prefix';

/**
 * The environment a notebook's project uses.
 */
export interface ProjectEnvironment {
  environment_id: string;
  name: string;
  /** Realpath of the prefix. */
  prefix: string;
  source: ProjectSource;
  /** Server-root-relative path of the yml file, or of the prefix folder. */
  file: string;
  /** Server-root-relative folder where it was found (`''` = the root). */
  folder: string;
  /** The kernelspec to switch to; null when the environment has no kernel. */
  kernel: string | null;
}

/**
 * An `environment.yml` on the way up whose `name:` is no environment here.
 */
export interface UnresolvedProject {
  /** Server-root-relative path of the yml file. */
  file: string;
  /** The name the file gives; `''` when it has no top-level `name:`. */
  name: string;
  reason: string;
}

/**
 * The answer of `GET project?path=`.
 */
export interface ProjectResponse {
  /** The notebook path asked about (server-root-relative, `/`-separated). */
  path: string;
  /** The nearest project environment; null when there is none. */
  project: ProjectEnvironment | null;
  unresolved: UnresolvedProject[];
}

/**
 * The client of the project environment route.
 */
export class KernelsClient extends ServerClient {
  /**
   * `GET project?path=`: the project environment of a notebook.
   *
   * @param path - the notebook path, server-root-relative, `/`-separated
   */
  getProject(path: string): Promise<ProjectResponse> {
    // Fully encoded, the query is one path segment: the URL join that
    // normalises `.`, `..` and `//` in the route leaves it alone.
    return this.requestJSON<ProjectResponse>(
      `project?path=${encodeURIComponent(path)}`,
      { method: 'GET' }
    );
  }
}

import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from './request';

/*
 * The JSON shapes of the server extension, field for field as in
 * docs/rest-api.md (and jupyterlab_conda_envs/routes.py). Keep them in step.
 */

/**
 * How conda would name an environment; `project` is a project-local prefix.
 */
export type EnvironmentKind = 'base' | 'named' | 'path' | 'project';

/**
 * The tool that manages the root an environment belongs to.
 */
export type EnvironmentManager =
  'conda' | 'mamba' | 'micromamba' | 'pixi' | 'unknown';

/**
 * A kernelspec known to the server that runs in an environment.
 */
export interface KernelRef {
  name: string;
  display_name: string;
  language: string;
}

/**
 * Conda records and pip-installed distributions of an environment.
 */
export interface PackageCounts {
  conda: number;
  pip: number;
}

/**
 * One environment, as `GET environments` lists it.
 */
export interface EnvironmentSummary {
  /** URL-safe token derived from the realpath (stable across restarts). */
  id: string;
  /** Display name: folder name in an envs dir, `base` for a root, else the path. */
  name: string;
  /** Realpath of the prefix. */
  prefix: string;
  kind: EnvironmentKind;
  manager: EnvironmentManager;
  /** Where it was found, e.g. `environments.txt`, `CONDA_ENVS_PATH`. */
  sources: string[];
  /** Version of the conda `python` record. */
  python_version: string | null;
  package_counts: PackageCounts;
  /** ipykernel installed (conda or pip). */
  has_ipykernel: boolean;
  kernels: KernelRef[];
  /** The Jupyter server itself runs in this environment. */
  is_server_env: boolean;
  /** Changes whenever the environment's conda-meta/ or site-packages changes. */
  revision: string;
  /** The current user can write to `conda-meta/`. */
  writable: boolean;
  /** Problems reading this environment (it is still listed). */
  errors: string[];
}

/**
 * A location that was named as an environment but not listed.
 */
export interface SkippedEnvironment {
  path: string;
  source: string;
  reason: string;
}

/**
 * The answer of `GET environments`.
 */
export interface EnvironmentsResponse {
  environments: EnvironmentSummary[];
  skipped: SkippedEnvironment[];
  /** Realpath of the server's own `sys.prefix`. */
  server_prefix: string;
}

/**
 * Who installed a package.
 */
export type PackageSource = 'conda' | 'pypi';

/**
 * The other side of a pip distribution shadowing a conda package.
 */
export interface PackageConflict {
  name: string;
  version: string;
  source: PackageSource;
}

/**
 * One installed package, conda record or pip distribution.
 */
export interface PackageRecord {
  name: string;
  /** PEP 503 normalized (lower case, runs of `-_.` become `-`). */
  normalized_name: string;
  version: string;
  /** Conda build string; `pypi_0` for pip packages. */
  build: string;
  build_number: number;
  /** Conda channel name or URL (tokens masked); `pypi` for pip packages. */
  channel: string;
  subdir: string;
  depends: string[];
  constrains: string[];
  size: number | null;
  url: string | null;
  requested_spec: string | null;
  source: PackageSource;
  /** pip's `INSTALLER` file content (`pip`, `uv`, ...). */
  installer: string | null;
  editable: boolean;
  conflicts: PackageConflict[];
}

/**
 * A package record file that could not be read.
 */
export interface PackageFileError {
  file: string;
  message: string;
}

/**
 * The answer of `GET environments/{id}/packages`.
 */
export interface PackagesResponse {
  id: string;
  prefix: string;
  /** Sorted by normalized name, then source (conda first). */
  packages: PackageRecord[];
  errors: PackageFileError[];
}

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
 * The typed client of the server extension: one method per route.
 *
 * Widgets and models use this, never `requestAPI` directly.
 */
export class CondaEnvsClient {
  constructor(options: CondaEnvsClient.IOptions = {}) {
    this.serverSettings =
      options.serverSettings ?? ServerConnection.makeSettings();
  }

  /**
   * The server connection settings used for every request.
   */
  readonly serverSettings: ServerConnection.ISettings;

  /**
   * `GET environments`: every discovered environment.
   */
  listEnvironments(): Promise<EnvironmentsResponse> {
    return requestAPI<EnvironmentsResponse>(
      'environments',
      { method: 'GET' },
      this.serverSettings
    );
  }

  /**
   * `GET environments/{id}/packages`: all package records of one environment.
   */
  getPackages(id: string): Promise<PackagesResponse> {
    return requestAPI<PackagesResponse>(
      `environments/${encodeURIComponent(id)}/packages`,
      { method: 'GET' },
      this.serverSettings
    );
  }

  /**
   * `GET project?path=`: the project environment of a notebook.
   *
   * @param path - the notebook path, server-root-relative, `/`-separated
   */
  getProject(path: string): Promise<ProjectResponse> {
    // Fully encoded, the query is one path segment: the URL join that
    // normalises `.`, `..` and `//` in the route leaves it alone.
    return requestAPI<ProjectResponse>(
      `project?path=${encodeURIComponent(path)}`,
      { method: 'GET' },
      this.serverSettings
    );
  }
}

export namespace CondaEnvsClient {
  export interface IOptions {
    /**
     * The server settings; pass `app.serviceManager.serverSettings`.
     */
    serverSettings?: ServerConnection.ISettings;
  }
}

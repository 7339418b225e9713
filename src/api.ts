import { ServerConnection } from '@jupyterlab/services';

import type { SystemFacts } from './compat/facts';
import type { ISpecFile } from './drift/specTypes';
import { requestAPI, requestText } from './request';

// The compatibility engine owns the shape of `GET system` (it judges it);
// the client re-exports it so callers need only one import.
export type { SystemFacts } from './compat/facts';
export type { ISpecEntry, ISpecFile } from './drift/specTypes';

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
  /**
   * `sha256:` digest of the (source, name, version, build) list: what a
   * snapshot records, compared to tell whether the env changed since.
   */
  digest: string;
}

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
 * How a probe ended: it answered, ran past the time limit, or exited
 * without an answer.
 */
export type ProbeStatus = 'ok' | 'timeout' | 'failed';

/**
 * What PyTorch sees in the probed environment.
 */
export interface ProbeTorchFacts {
  /** `torch.__version__`, e.g. `2.1.0+cu118`. */
  version: string;
  /** `torch.version.cuda`: the CUDA it was built for; null for a CPU build. */
  cuda: string | null;
  /** `torch.cuda.is_available()`. */
  available: boolean;
  device_count: number;
  /** Device names; only when `available`. */
  devices?: string[];
  /** Compute capabilities ("8.0"), one per device; only when `available`. */
  capabilities?: string[];
  /** `torch.cuda.get_arch_list()`; only when `available`. */
  arch_list?: string[];
}

/**
 * What TensorFlow sees in the probed environment.
 */
export interface ProbeTensorflowFacts {
  version: string;
  /** The CUDA of its build info; null for a CPU build. */
  cuda: string | null;
  cudnn: string | null;
  /** Names of the GPU devices it lists. */
  devices: string[];
}

/**
 * What JAX sees in the probed environment.
 */
export interface ProbeJaxFacts {
  version: string;
  /** `jax.default_backend()`: `cpu`, `gpu`, `tpu`. */
  backend: string;
  devices: string[];
}

/**
 * A framework that is installed but failed to import or answer.
 */
export interface ProbeFrameworkError {
  /** `ExceptionType: message`. */
  error: string;
}

/**
 * The frameworks the probe found installed (absent keys: not installed).
 */
export interface ProbeFrameworks {
  torch?: ProbeTorchFacts | ProbeFrameworkError;
  tensorflow?: ProbeTensorflowFacts | ProbeFrameworkError;
  jax?: ProbeJaxFacts | ProbeFrameworkError;
}

/**
 * What the environment's interpreter reported.
 */
export interface ProbeResult {
  /** `platform.python_version()`. */
  python: string;
  executable: string;
  frameworks: ProbeFrameworks;
  /**
   * The CUDA-related variables the interpreter saw (CONDA_PREFIX, CUDA_HOME,
   * CUDA_PATH, CUDA_VISIBLE_DEVICES, LD_LIBRARY_PATH, XLA_FLAGS), when set.
   */
  variables?: Record<string, string>;
}

interface ProbeAnswerBase {
  id: string;
  prefix: string;
  /** Wall-clock seconds the probe ran. */
  seconds: number;
  /** The tail of what the interpreter printed to stderr. */
  stderr: string;
}

/**
 * The probe answered.
 */
export interface ProbeOk extends ProbeAnswerBase {
  status: 'ok';
  result: ProbeResult;
}

/**
 * The probe was killed at the time limit.
 */
export interface ProbeTimeout extends ProbeAnswerBase {
  status: 'timeout';
  message: string;
}

/**
 * The interpreter exited with an error, or printed no readable answer.
 */
export interface ProbeFailed extends ProbeAnswerBase {
  status: 'failed';
  exit_code: number | null;
}

/**
 * The answer of `POST environments/{id}/probe`.
 */
export type ProbeResponse = ProbeOk | ProbeTimeout | ProbeFailed;

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

  /**
   * `GET system`: this machine's platform, NVIDIA driver and GPUs (or why
   * none), `CONDA_OVERRIDE_CUDA` and conda tools.
   */
  getSystem(): Promise<SystemFacts> {
    return requestAPI<SystemFacts>(
      'system',
      { method: 'GET' },
      this.serverSettings
    );
  }

  /**
   * `GET environments/{id}/export?mode=`: the environment file's text.
   */
  exportEnvironment(id: string, mode: ExportMode): Promise<string> {
    return requestText(
      `environments/${encodeURIComponent(id)}/export?mode=${encodeURIComponent(mode)}`,
      { method: 'GET' },
      this.serverSettings
    );
  }

  /**
   * `POST environments/{id}/snapshot`: write the export beside a notebook.
   * A `RequestError` with status 409 means the file exists (its `body.file`
   * names it); ask, then call again with `overwrite: true`.
   */
  snapshot(id: string, request: SnapshotRequest): Promise<SnapshotResponse> {
    return requestAPI<SnapshotResponse>(
      `environments/${encodeURIComponent(id)}/snapshot`,
      { method: 'POST', body: JSON.stringify(request) },
      this.serverSettings
    );
  }

  /**
   * `GET spec?path=`: parse an environment file of the workspace.
   */
  getSpecFile(path: string): Promise<SpecFileResponse> {
    return requestAPI<SpecFileResponse>(
      `spec?path=${encodeURIComponent(path)}`,
      { method: 'GET' },
      this.serverSettings
    );
  }

  /**
   * `POST environments/{id}/probe`: run the environment's own interpreter
   * to ask its frameworks what they see. It runs code, so the server allows
   * it only to users who may run kernels.
   */
  probe(id: string): Promise<ProbeResponse> {
    return requestAPI<ProbeResponse>(
      `environments/${encodeURIComponent(id)}/probe`,
      { method: 'POST', body: '{}' },
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

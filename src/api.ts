import { ServerConnection } from '@jupyterlab/services';

import type { SystemFacts } from './compat/facts';
import type { ISpecFile } from './export/drift/specTypes';
import { requestAPI, requestText } from './core/request';

// The compatibility engine owns the shape of `GET system` (it judges it);
// the client re-exports it so callers need only one import.
export type { SystemFacts } from './compat/facts';
export type { ISpecEntry, ISpecFile } from './export/drift/specTypes';

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
 * A part of an environment file that can run code or reach unusual places,
 * and so needs an explicit opt-in (`allow`) before a create starts.
 */
export type RiskKind =
  | 'pip-index'
  | 'pip-editable'
  | 'pip-vcs'
  | 'pip-url'
  | 'pip-local'
  | 'pip-requirements'
  | 'pip-option'
  | 'channel';

/**
 * One kind of risk in a file: what it is and the lines that carry it.
 */
export interface CreateRisk {
  kind: RiskKind;
  /** The channels, pip lines or options concerned, as the file has them. */
  items: string[];
  message: string;
}

/**
 * What an environment file asks for, as the server validated it.
 */
export interface CreatePlan {
  /** The environment's name: the request's `name`, else the file's. */
  name: string;
  /** Channel URLs with any token masked. */
  channels: string[];
  /** Conda match specs (with `ipykernel` added when asked). */
  conda: string[];
  /** The lines of the `pip:` section. */
  pip: string[];
  /** The `variables:` section. */
  variables: Record<string, string>;
  risks: CreateRisk[];
}

/**
 * Where the change goes.
 */
export interface CreateTarget {
  name: string;
  /** The prefix to create (or, for an update, the existing one). */
  prefix: string;
  update: boolean;
  prune: boolean;
}

/**
 * The tool a create runs; `auto` lets the server choose.
 */
export type CreateBackend =
  'auto' | 'conda' | 'mamba' | 'mamba2' | 'micromamba' | 'rattler';

/**
 * A tool the server found and offers, e.g. `{kind: 'mamba2', label:
 * 'mamba 2.0.5'}`.
 */
export interface CreateBackendChoice {
  kind: Exclude<CreateBackend, 'auto'>;
  label: string;
}

/**
 * The body of `POST environments`: exactly one of `path` (a workspace file,
 * server-root-relative) or `content` (the file's text).
 */
export interface CreateRequest {
  path?: string;
  content?: string;
  /** Overrides the file's `name:`. */
  name?: string;
  /** Add `ipykernel` so the environment is a kernel at once; default true. */
  add_ipykernel?: boolean;
  /** The risks the user explicitly allowed. */
  allow?: RiskKind[];
  backend?: CreateBackend;
  /** Validate and plan only: no job starts. */
  dry_run?: boolean;
  /** Change the existing environment of that name instead of creating one. */
  update?: boolean;
  /** With `update`: remove packages the file does not name. */
  prune?: boolean;
  /**
   * The `sha256` of the dry run the user reviewed: the server refuses (409,
   * reason `changed`) when the file is no longer what was approved.
   */
  expect_sha256?: string;
}

/**
 * The answer of `POST environments` with `dry_run`.
 */
export interface CreatePlanResponse {
  plan: CreatePlan;
  target: CreateTarget;
  /** The label of the tool that would run, e.g. `mamba 1.5.8`. */
  backend: string;
  /** The kind of that tool. */
  backend_kind: Exclude<CreateBackend, 'auto'>;
  /**
   * What the user may pick from; empty when the administrator configured
   * one tool.
   */
  backend_choices: CreateBackendChoice[];
  /** `sha256:<hex>` of the file's bytes as checked (dry run only). */
  sha256?: string;
}

/**
 * The answer of `POST environments` (202): the job that was started.
 */
export interface CreateJobResponse extends CreatePlanResponse {
  job: Job;
}

/**
 * The JSON body of a refused `POST environments`.
 */
export interface CreateErrorBody {
  message: string;
  /** Where in the file the problem is (e.g. `dependencies[3]`). */
  where?: string | null;
  /** The risks that need an opt-in (400). */
  needs?: RiskKind[];
  /**
   * Why a 409: an environment of that name `exists`, a job is `busy` with
   * it, a folder is `in-the-way`, no envs folder is writable (`no-target`),
   * or the file `changed` since it was checked.
   */
  reason?: 'exists' | 'busy' | 'in-the-way' | 'no-target' | 'changed';
}

export type JobKind = 'create' | 'update';

export type JobStatus =
  'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * A change to an environment that runs on the server.
 */
export interface Job {
  id: string;
  kind: JobKind;
  name: string;
  prefix: string;
  backend: string;
  status: JobStatus;
  /** 0..1; null while the tool reports none. */
  progress: number | null;
  /** What the tool is doing now (solving, downloading, ...). */
  phase: string | null;
  /** Why it failed; `''` unless `status` is `failed`. */
  error: string;
  /** Epoch seconds. */
  created: number;
  started: number | null;
  finished: number | null;
  /** The id of the environment, once it exists. */
  environment_id: string | null;
  /** Log lines written so far (the offset after the last one). */
  log_size: number;
}

/**
 * The answer of `GET jobs`.
 */
export interface JobsResponse {
  jobs: Job[];
}

/**
 * The answer of `GET jobs/{id}?offset=`.
 */
export interface JobLogResponse {
  job: Job;
  /** The log lines from the asked absolute offset (those still kept). */
  log: string[];
  /** The offset to ask from next. */
  offset: number;
}

/**
 * The answer of `DELETE jobs/{id}`.
 */
export interface JobResponse {
  job: Job;
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

  /**
   * `POST environments`: validate an environment file, then (unless
   * `dry_run`) start a job that creates or updates the environment.
   * Refusals are `RequestError`s whose `body` is a `CreateErrorBody`: 400
   * (invalid file; `needs` = risks to allow), 409 (the environment exists or
   * is busy), 413, 503 (no conda tool), 403, 404 (update of a missing one).
   */
  createEnvironment(
    request: CreateRequest & { dry_run: true }
  ): Promise<CreatePlanResponse>;
  createEnvironment(request: CreateRequest): Promise<CreateJobResponse>;
  createEnvironment(
    request: CreateRequest
  ): Promise<CreatePlanResponse | CreateJobResponse> {
    return requestAPI<CreatePlanResponse | CreateJobResponse>(
      'environments',
      { method: 'POST', body: JSON.stringify(request) },
      this.serverSettings
    );
  }

  /**
   * `GET jobs`: the jobs the server knows (running and recently finished).
   */
  listJobs(): Promise<JobsResponse> {
    return requestAPI<JobsResponse>(
      'jobs',
      { method: 'GET' },
      this.serverSettings
    );
  }

  /**
   * `GET jobs/{id}?offset=`: a job and its log lines from `offset` on.
   */
  getJob(id: string, offset = 0): Promise<JobLogResponse> {
    return requestAPI<JobLogResponse>(
      `jobs/${encodeURIComponent(id)}?offset=${Math.max(0, Math.floor(offset))}`,
      { method: 'GET' },
      this.serverSettings
    );
  }

  /**
   * `DELETE jobs/{id}`: cancel a job; a finished one is left as it is.
   */
  cancelJob(id: string): Promise<JobResponse> {
    return requestAPI<JobResponse>(
      `jobs/${encodeURIComponent(id)}`,
      { method: 'DELETE' },
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

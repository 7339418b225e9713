import { ServerClient } from '../core/client';
import type { Job } from '../jobs/api';

/*
 * The JSON shapes of the server extension's create routes, field for field
 * as in docs/rest-api.md (and the server's `create/routes.py`). Keep them in step.
 */

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
   * the file `changed` since it was checked, or the environment is `frozen`
   * (CEP 22; the message is conda's own).
   */
  reason?:
    'exists' | 'busy' | 'in-the-way' | 'no-target' | 'changed' | 'frozen';
}

/**
 * The client of the create route.
 */
export class CreateClient extends ServerClient {
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
    return this.requestJSON<CreatePlanResponse | CreateJobResponse>(
      'environments',
      { method: 'POST', body: JSON.stringify(request) }
    );
  }
}

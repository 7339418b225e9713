import { ServerClient } from '../core/client';
import type { PackageRecord } from '../compat/packageRecord';

// The compatibility engine owns the shape of a package record (it judges
// it); the client re-exports it so callers need only one import.
export type {
  PackageConflict,
  PackageRecord,
  PackageSource
} from '../compat/packageRecord';

/*
 * The JSON shapes of the server extension's environment listing and package routes, field for field
 * as in docs/rest-api.md (and the server's `environments/routes.py`). Keep them in step.
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
  /** Frozen (CEP 22: `conda-meta/frozen`): conda refuses to change it. */
  frozen: boolean;
  /** Why it is frozen, from the file; null when it gives no message. */
  frozen_message: string | null;
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
 * The client of the environment listing and package routes.
 */
export class EnvironmentsClient extends ServerClient {
  /**
   * `GET environments`: every discovered environment.
   */
  listEnvironments(): Promise<EnvironmentsResponse> {
    return this.requestJSON<EnvironmentsResponse>('environments', {
      method: 'GET'
    });
  }

  /**
   * `GET environments/{id}/packages`: all package records of one environment.
   */
  getPackages(id: string): Promise<PackagesResponse> {
    return this.requestJSON<PackagesResponse>(
      `environments/${encodeURIComponent(id)}/packages`,
      { method: 'GET' }
    );
  }
}

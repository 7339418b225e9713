/*
 * One installed package as `GET environments/{id}/packages` sends it, field
 * for field as in docs/rest-api.md. The compatibility engine judges these
 * records, so it owns their shape (as `facts.ts` owns the system facts); the
 * environments client re-exports it.
 */

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

import type { PackageRecord } from './packageRecord';

/*
 * Lookups over an environment's package records. Names are matched on
 * `normalized_name` (PEP 503: lower case, `-`), which the server fills for
 * conda records too, so `typing_extensions` and `typing-extensions` meet.
 */

/**
 * The record named `name` (normalized), preferring `source` when both a
 * conda record and a pip distribution carry the name.
 */
export function findRecord(
  records: readonly PackageRecord[],
  name: string,
  prefer: PackageRecord['source'] = 'conda'
): PackageRecord | undefined {
  const matches = records.filter(r => r.normalized_name === name);
  return matches.find(r => r.source === prefer) ?? matches[0];
}

/**
 * The package name a dependency spec starts with: "pytorch-cuda >=11.8" →
 * "pytorch-cuda", 'torch>=1.10; extra == "torch"' → "torch".
 */
export function specName(spec: string): string {
  const match = /^\s*([A-Za-z0-9_.-]+)/.exec(spec);
  return match ? match[1].toLowerCase() : '';
}

/**
 * The record's dependency on `name`, as written, or null.
 */
export function dependency(record: PackageRecord, name: string): string | null {
  return record.depends.find(spec => specName(spec) === name) ?? null;
}

/**
 * The version of the conda `python` record: what the environment's
 * interpreter is. Null when the environment has none.
 */
export function envPython(records: readonly PackageRecord[]): string | null {
  const python = records.find(
    r => r.source === 'conda' && r.normalized_name === 'python'
  );
  return python ? python.version : null;
}

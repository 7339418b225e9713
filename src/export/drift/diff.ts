/*
 * The difference between two package sets: a snapshot or environment file
 * (the reference) and an environment as it is now (the current set), or two
 * environments. Pure functions, no DOM: the view lives in
 * components/packageDiff.tsx.
 */

import type { PackageRecord, PackageSource } from '../../environments/api';
import type { ISpecEntry } from './specTypes';

/**
 * One package of either side, in the one shape both sides are compared in.
 */
export interface IComparable {
  /** `${source}:${name}` with the name normalized as its installer does. */
  key: string;
  source: PackageSource;
  name: string;
  /** Null when the reference names the package without pinning a version. */
  version: string | null;
  /** The version is a prefix: conda `=1.26` means 1.26.*. */
  fuzzy: boolean;
  /** Conda build string, or a pattern with `*`; null when not pinned. */
  build: string | null;
  channel: string | null;
  /** A range that is not a pin (`>=1.20`), shown but not compared. */
  constraint: string | null;
}

/**
 * One side of a changed package.
 */
export interface IVersionInfo {
  version: string | null;
  build: string | null;
  channel: string | null;
}

/**
 * What differs about a package both sides have.
 */
export type ChangeKind = 'version' | 'build';

/**
 * A package in both sets whose version (or pinned build) differs.
 */
export interface IPackageChange {
  key: string;
  source: PackageSource;
  /** The name as the current set spells it. */
  name: string;
  kind: ChangeKind;
  /** The reference side. */
  from: IVersionInfo;
  /** The current side. */
  to: IVersionInfo;
}

/**
 * The difference between a reference set and the current set.
 */
export interface IPackageDiff {
  /** In the current set, not in the reference. */
  added: IComparable[];
  /**
   * The reference does not list every package (a hand-written
   * environment.yml), so `added` are most likely dependencies of what it
   * names rather than real differences.
   */
  addedAreDependencies: boolean;
  /** In the reference, not in the current set. */
  removed: IComparable[];
  /** In both, with another version, or another build the reference pins. */
  changed: IPackageChange[];
  /** In both, with a matching version (and build where pinned). */
  unchanged: number;
  /** In both, matched by name only: one side pins no version. */
  unpinned: number;
  /**
   * Entries dropped because their key was already seen on the same side
   * (a pip distribution installed in two site-packages); the first is kept.
   */
  duplicates: number;
}

/**
 * How to read the reference set.
 */
export interface IDiffOptions {
  /** The reference lists every package, not only the top-level ones. */
  referenceComplete: boolean;
}

/**
 * A PyPI project name as PEP 503 compares it: lower case, runs of `-`, `_`
 * and `.` become one `-`.
 */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The identity of a package across both sets. Conda names are only
 * lower-cased: conda has distinct packages whose names differ only in
 * punctuation (`ruamel.yaml`, `ruamel_yaml`). The same name from conda and
 * from pip are different packages.
 */
export function packageKey(source: PackageSource, name: string): string {
  const normalized =
    source === 'pypi' ? normalizePypiName(name) : name.toLowerCase();
  return `${source}:${normalized}`;
}

/**
 * Installed packages (from `GET environments/{id}/packages`), comparable.
 */
export function fromPackages(
  records: ReadonlyArray<PackageRecord>
): IComparable[] {
  return records.map(record => ({
    key: packageKey(record.source, record.name),
    source: record.source,
    name: record.name,
    version: record.version || null,
    fuzzy: false,
    build: record.build || null,
    channel: record.channel || null,
    constraint: null
  }));
}

/**
 * The entries of a parsed environment file, comparable. A version that is
 * only a wildcard (`numpy=*`) pins nothing.
 */
export function fromSpecEntries(
  entries: ReadonlyArray<ISpecEntry>
): IComparable[] {
  return entries.map(entry => {
    const pinned =
      entry.version !== null && Private.wildcardPrefix(entry.version) !== ''
        ? entry.version
        : null;
    return {
      key: packageKey(entry.source, entry.name),
      source: entry.source,
      name: entry.name,
      version: pinned,
      fuzzy: pinned !== null && entry.fuzzy,
      build: entry.build || null,
      channel: entry.channel,
      constraint: entry.constraint
    };
  });
}

/**
 * What changed from `reference` (a snapshot, a file, the first environment)
 * to `current` (the environment now, the second environment). Every list is
 * sorted by name, then source (conda first).
 */
export function diffPackages(
  reference: ReadonlyArray<IComparable>,
  current: ReadonlyArray<IComparable>,
  options: IDiffOptions
): IPackageDiff {
  const before = Private.index(reference);
  const after = Private.index(current);
  const added: IComparable[] = [];
  const removed: IComparable[] = [];
  const changed: IPackageChange[] = [];
  let unchanged = 0;
  let unpinned = 0;

  for (const [key, ref] of before.byKey) {
    const now = after.byKey.get(key);
    if (!now) {
      removed.push(ref);
    } else if (ref.version === null || now.version === null) {
      unpinned++;
    } else if (!Private.versionMatches(ref, now)) {
      changed.push(Private.change(ref, now, 'version'));
    } else if (
      // pip reports `pypi_0` for every distribution: no build to compare.
      ref.source === 'conda' &&
      !Private.buildMatches(ref.build, now.build)
    ) {
      changed.push(Private.change(ref, now, 'build'));
    } else {
      unchanged++;
    }
  }
  for (const [key, now] of after.byKey) {
    if (!before.byKey.has(key)) {
      added.push(now);
    }
  }

  return {
    added: added.sort(Private.byName),
    addedAreDependencies: !options.referenceComplete,
    removed: removed.sort(Private.byName),
    changed: changed.sort(Private.byName),
    unchanged,
    unpinned,
    duplicates: before.duplicates + after.duplicates
  };
}

/**
 * Nothing was changed, removed or added. Additions do not count when they
 * are only dependencies a hand-written file does not name.
 */
export function isEmpty(diff: IPackageDiff): boolean {
  return (
    diff.changed.length === 0 &&
    diff.removed.length === 0 &&
    (diff.addedAreDependencies || diff.added.length === 0)
  );
}

namespace Private {
  export interface IIndex {
    byKey: Map<string, IComparable>;
    duplicates: number;
  }

  /**
   * Packages by key, first one wins; Map keeps the input order.
   */
  export function index(items: ReadonlyArray<IComparable>): IIndex {
    const byKey = new Map<string, IComparable>();
    let duplicates = 0;
    for (const item of items) {
      if (byKey.has(item.key)) {
        duplicates++;
      } else {
        byKey.set(item.key, item);
      }
    }
    return { byKey, duplicates };
  }

  export function change(
    ref: IComparable,
    now: IComparable,
    kind: ChangeKind
  ): IPackageChange {
    return {
      key: now.key,
      source: now.source,
      name: now.name,
      kind,
      from: { version: ref.version, build: ref.build, channel: ref.channel },
      to: { version: now.version, build: now.build, channel: now.channel }
    };
  }

  /**
   * The text before a trailing wildcard: `1.26.*` and `1.26*` → `1.26`.
   */
  export function wildcardPrefix(version: string): string {
    return version.replace(/\.?\*$/, '');
  }

  /**
   * `version` is `prefix` or one of its releases, segment by segment:
   * `1.26` covers `1.26.4`, `1.2` does not.
   */
  export function withinPrefix(prefix: string, version: string): boolean {
    return version === prefix || version.startsWith(`${prefix}.`);
  }

  export function isPrefix(item: IComparable): boolean {
    return item.fuzzy || (item.version ?? '').endsWith('*');
  }

  /**
   * Exact equality, or a fuzzy pin on either side that covers the other.
   */
  export function versionMatches(ref: IComparable, now: IComparable): boolean {
    const a = ref.version ?? '';
    const b = now.version ?? '';
    if (a === b) {
      return true;
    }
    if (isPrefix(ref) && withinPrefix(wildcardPrefix(a), b)) {
      return true;
    }
    return isPrefix(now) && withinPrefix(wildcardPrefix(b), a);
  }

  /**
   * A build the reference does not pin matches any; `*` in a pinned build
   * is a glob (`*cuda*`).
   */
  export function buildMatches(
    pinned: string | null,
    actual: string | null
  ): boolean {
    if (pinned === null || actual === null || pinned === actual) {
      return true;
    }
    if (!pinned.includes('*')) {
      return false;
    }
    const pattern = pinned
      .split('*')
      .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`).test(actual);
  }

  /**
   * Name as PEP 503 would compare it (so `foo_bar` and `foo-bar` sit
   * together), then conda before pypi, then the name as written.
   */
  export function byName(
    a: { name: string; source: PackageSource },
    b: { name: string; source: PackageSource }
  ): number {
    return (
      compare(normalizePypiName(a.name), normalizePypiName(b.name)) ||
      compare(a.source, b.source) ||
      compare(a.name, b.name)
    );
  }

  // Code-unit order: the same on every machine, unlike localeCompare.
  export function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
  }
}

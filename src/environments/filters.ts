import type { EnvironmentSummary, PackageRecord } from './api';

/*
 * Pure search and paging helpers behind the model's derived views; kept apart
 * so the matching rules are easy to read and to test.
 */

/**
 * Whether an environment matches the filter text.
 *
 * Matches, case-insensitively, the name, the prefix, the Python version and
 * the kernel names (spec name and display name). Blank text matches all.
 */
export function environmentMatches(
  env: EnvironmentSummary,
  text: string
): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) {
    return true;
  }
  const haystack = [env.name, env.prefix, env.python_version ?? ''];
  for (const kernel of env.kernels) {
    haystack.push(kernel.name, kernel.display_name);
  }
  return haystack.some(value => value.toLowerCase().includes(needle));
}

/**
 * Whether a package matches the search text: its name (as recorded or
 * normalized, so `scikit_learn` finds `scikit-learn`) contains the text.
 */
export function packageMatches(pkg: PackageRecord, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) {
    return true;
  }
  return (
    pkg.name.toLowerCase().includes(needle) ||
    pkg.normalized_name.includes(normalizeName(needle))
  );
}

/**
 * PEP 503 normalization: lower case, runs of `-`, `_` and `.` become `-`.
 */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * One page of a list.
 */
export interface IPage<T> {
  /** The items on this page. */
  items: T[];
  /** The zero-based page index, clamped to the pages there are. */
  page: number;
  /** How many pages there are (at least 1, even for an empty list). */
  pageCount: number;
  /** How many items there are on all pages. */
  total: number;
}

/**
 * Cut a list into pages of `size` items and return page `page`.
 */
export function paginate<T>(
  items: ReadonlyArray<T>,
  page: number,
  size: number
): IPage<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const index = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  return {
    items: items.slice(index * size, (index + 1) * size),
    page: index,
    pageCount,
    total: items.length
  };
}

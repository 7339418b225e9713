/*
 * Numeric comparison of dotted versions (drivers, packages, Python).
 *
 * Versions here are compared segment by segment as numbers, never as strings
 * or floats: "3.10" > "3.9" and "525.60.13" > "525.6". A PEP 440 local part
 * (`+cu118`) is ignored, and a segment keeps only its leading digits, so
 * "0a0" and "0rc1" count as 0 — close enough for the release boundaries the
 * tables talk about.
 */

/**
 * The numeric segments of a version: "2.1.0+cu118" → [2, 1, 0].
 */
export function versionParts(version: string): number[] {
  const publicPart = version.trim().split('+')[0];
  const parts: number[] = [];
  for (const segment of publicPart.split('.')) {
    const digits = /^\d+/.exec(segment);
    if (!digits) {
      break;
    }
    parts.push(Number(digits[0]));
  }
  return parts;
}

/**
 * Negative, zero or positive as `a` is older than, equal to or newer than `b`;
 * missing segments count as 0 ("12" equals "12.0").
 */
export function compareVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  const length = Math.max(pa.length, pb.length);
  for (let i = 0; i < length; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}

/**
 * "3.10.13" → "3.10"; null when the version has no minor part.
 */
export function majorMinor(version: string): string | null {
  const parts = versionParts(version);
  return parts.length >= 2 ? `${parts[0]}.${parts[1]}` : null;
}

/**
 * Whether `version` lies in the release series from `first` to `last`,
 * compared on as many segments as the bounds have: with bounds "2.12" and
 * "2.14", "2.14.1" is inside.
 */
export function inSeries(
  version: string,
  first: string,
  last: string
): boolean {
  const parts = versionParts(version);
  const cut = (bound: string): string =>
    parts.slice(0, versionParts(bound).length).join('.');
  return (
    compareVersions(cut(first), first) >= 0 &&
    compareVersions(cut(last), last) <= 0
  );
}

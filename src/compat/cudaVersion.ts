import { compareVersions, versionParts } from './version';

/*
 * A CUDA version as packages encode it. Some encodings give only the major
 * (`cupy-cuda12x`, `nvidia-*-cu12` wheels, `jax-cuda12-plugin`), so the minor
 * may be unknown and every rule must say what it does then.
 */

/**
 * A CUDA version; `minor` is null when only the major is known.
 */
export interface ICudaVersion {
  major: number;
  minor: number | null;
}

/**
 * "11.8" → {11, 8}; "12" → {12, null}; null when not a version.
 */
export function parseCuda(text: string): ICudaVersion | null {
  const parts = versionParts(text);
  if (parts.length === 0) {
    return null;
  }
  return { major: parts[0], minor: parts.length > 1 ? parts[1] : null };
}

/**
 * The digits of a CUDA tag without a dot: "118" → 11.8, "92" → 9.2,
 * "130" → 13.0. The last digit is always the minor: no CUDA minor has had
 * two digits, and the tags rely on that.
 */
export function parseCudaDigits(digits: string): ICudaVersion | null {
  if (!/^\d{2,3}$/.test(digits)) {
    return null;
  }
  return {
    major: Number(digits.slice(0, -1)),
    minor: Number(digits.slice(-1))
  };
}

/**
 * "11.8", or "12.x" when the minor is unknown.
 */
export function formatCuda(cuda: ICudaVersion): string {
  return cuda.minor === null
    ? `${cuda.major}.x`
    : `${cuda.major}.${cuda.minor}`;
}

/**
 * "11.8", or "12" when the minor is unknown: the form kept in results.
 */
export function cudaKey(cuda: ICudaVersion): string {
  return cuda.minor === null ? `${cuda.major}` : `${cuda.major}.${cuda.minor}`;
}

/**
 * Compare two CUDA versions whose minors are known.
 */
export function compareCuda(a: ICudaVersion, b: ICudaVersion): number {
  return compareVersions(cudaKey(a), cudaKey(b));
}

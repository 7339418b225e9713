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
 * "130" → 13.0; the last digit is the minor (no CUDA minor has had two
 * digits, and the tags rely on that). Two digits starting with 1 name a
 * major alone: "12" → 12.x (`cuda12_py312h…`, jaxlib `+cuda12.cudnn89`),
 * since there never was a CUDA 1.x build to confuse it with.
 */
export function parseCudaDigits(digits: string): ICudaVersion | null {
  if (!/^\d{2,3}$/.test(digits)) {
    return null;
  }
  if (digits.length === 2 && digits.startsWith('1')) {
    return { major: Number(digits), minor: null };
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

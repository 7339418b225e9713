import type { ICudaVersion } from '../cudaVersion';
import { formatCuda } from '../cudaVersion';
import type { DriverPlatform } from '../driver';
import { gaDriverFor, minimumDriverFor } from '../driver';

/**
 * The driver update that runs a build for `cuda`.
 */
export function driverUpdateStep(
  cuda: ICudaVersion,
  platform: DriverPlatform = 'linux'
): string {
  const floor = minimumDriverFor(cuda, platform);
  const ga = gaDriverFor(cuda, platform)?.gaDriver;
  if (cuda.minor === null || !ga) {
    return floor
      ? `Update the NVIDIA driver to ≥ ${floor} (any CUDA ${cuda.major}.x build)`
      : `Update the NVIDIA driver to one that supports CUDA ${formatCuda(cuda)}`;
  }
  if (floor && floor !== ga) {
    return `Update the NVIDIA driver to ≥ ${ga} to run CUDA ${formatCuda(cuda)} in full (≥ ${floor} runs it through minor-version compatibility)`;
  }
  return `Update the NVIDIA driver to ≥ ${ga}`;
}

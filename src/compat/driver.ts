import { compareCuda, formatCuda, parseCuda } from './cudaVersion';
import type { ICudaVersion } from './cudaVersion';
import type { IDriverBundle } from './data/driverBundles';
import { DRIVER_BUNDLES } from './data/driverBundles';
import type { IMvcFloor } from './data/mvcFloors';
import { MVC_FLOORS } from './data/mvcFloors';
import type { ISourced } from './data/sourced';
import type { GpuFacts } from './facts';
import { compareVersions } from './version';

/*
 * What the machine's driver can run: its maximum CUDA (as the driver reports
 * it, or inferred from its version through B1) and the minor-version
 * compatibility floors (B2).
 */

/**
 * The highest CUDA the driver supports.
 */
export interface IDriverCuda extends ISourced {
  cuda: ICudaVersion;
  /** "12.4". */
  text: string;
  /** Inferred from the driver version (B1), not reported by the driver. */
  inferred: boolean;
  /** The driver version, when known. */
  driver: string | null;
}

/**
 * The highest CUDA whose GA driver is at most `driver`; undefined for drivers
 * older than every row.
 */
export function inferCudaFromDriver(driver: string): IDriverBundle | undefined {
  let best: IDriverBundle | undefined;
  for (const row of DRIVER_BUNDLES) {
    if (compareVersions(row.gaDriver, driver) <= 0) {
      best = row;
    }
  }
  return best;
}

/**
 * The driver's maximum CUDA; null when no driver answered or it said neither
 * its CUDA nor its version.
 */
export function driverCuda(gpu: GpuFacts): IDriverCuda | null {
  if (!gpu.available) {
    return null;
  }
  const reported = gpu.cuda_driver_version
    ? parseCuda(gpu.cuda_driver_version)
    : null;
  if (reported && reported.minor !== null) {
    return {
      cuda: reported,
      text: formatCuda(reported),
      inferred: false,
      driver: gpu.driver_version,
      // What nvidia-smi and NVML report (A1, A4).
      sources: ['N4', 'N5'],
      verified: true
    };
  }
  const row = gpu.driver_version
    ? inferCudaFromDriver(gpu.driver_version)
    : undefined;
  const cuda = row ? parseCuda(row.cuda) : null;
  if (!row || !cuda) {
    return null;
  }
  return {
    cuda,
    text: formatCuda(cuda),
    inferred: true,
    driver: gpu.driver_version,
    sources: row.sources,
    verified: row.verified
  };
}

/**
 * The minor-version compatibility floor of a CUDA major.
 */
export function mvcFloor(major: number): IMvcFloor | undefined {
  return MVC_FLOORS.find(row => row.major === major);
}

/**
 * The driver bundled with CUDA X.Y: enough for that release in full.
 */
export function gaDriverFor(cuda: ICudaVersion): IDriverBundle | undefined {
  if (cuda.minor === null) {
    return undefined;
  }
  // A build for a minor with no release of its own (12.7) needs the next one's driver.
  return DRIVER_BUNDLES.find(row => {
    const rowCuda = parseCuda(row.cuda);
    return rowCuda !== null && compareCuda(rowCuda, cuda) >= 0;
  });
}

/**
 * The lowest driver any build of the given CUDA runs on: the major's floor
 * from CUDA 11 on, the release's own driver before.
 */
export function minimumDriverFor(cuda: ICudaVersion): string | null {
  const floor = mvcFloor(cuda.major)?.minDriver;
  if (floor) {
    return floor;
  }
  return gaDriverFor(cuda)?.gaDriver ?? null;
}

/**
 * Whether the driver is at least the minor-version floor of `major`. With
 * no driver version, the GA driver of the CUDA it reports is a lower bound.
 */
export function meetsFloor(major: number, drv: IDriverCuda): boolean {
  const floor = mvcFloor(major)?.minDriver;
  if (!floor) {
    return false;
  }
  const known = drv.driver ?? gaDriverFor(drv.cuda)?.gaDriver;
  return known !== undefined && compareVersions(known, floor) >= 0;
}

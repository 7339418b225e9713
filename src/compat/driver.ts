import { compareCuda, formatCuda, parseCuda } from './cudaVersion';
import type { ICudaVersion } from './cudaVersion';
import { DRIVER_BUNDLES } from './data/driverBundles';
import { MVC_FLOORS } from './data/mvcFloors';
import type { ISourced } from './data/sourced';
import type { GpuFacts } from './facts';
import { compareVersions } from './version';

/*
 * What the machine's driver can run: its maximum CUDA (as the driver reports
 * it, or inferred from its version through B1) and the minor-version
 * compatibility floors (B2). Linux and Windows drivers are numbered apart:
 * every lookup takes the platform, Linux unless told.
 */

/**
 * Whose driver numbers apply.
 */
export type DriverPlatform = 'linux' | 'windows';

/**
 * The driver platform of a conda subdir (`win-64` → windows).
 */
export function driverPlatform(subdir: string): DriverPlatform {
  return subdir.startsWith('win-') ? 'windows' : 'linux';
}

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
 * One CUDA release and the driver bundled with it on one platform.
 */
export interface IDriverRelease extends ISourced {
  cuda: string;
  gaDriver: string;
}

/**
 * The B1 rows that bundled a driver for `platform`, in order.
 */
function releases(platform: DriverPlatform): IDriverRelease[] {
  const found: IDriverRelease[] = [];
  for (const row of DRIVER_BUNDLES) {
    const gaDriver =
      platform === 'windows' ? row.gaDriverWindows : row.gaDriver;
    if (gaDriver !== null) {
      found.push({
        cuda: row.cuda,
        gaDriver,
        sources: row.sources,
        verified: row.verified
      });
    }
  }
  return found;
}

/**
 * The highest CUDA whose GA driver is at most `driver`; undefined for drivers
 * older than every row.
 */
export function inferCudaFromDriver(
  driver: string,
  platform: DriverPlatform = 'linux'
): IDriverRelease | undefined {
  let best: IDriverRelease | undefined;
  for (const row of releases(platform)) {
    if (compareVersions(row.gaDriver, driver) <= 0) {
      best = row;
    }
  }
  return best;
}

/**
 * The driver's maximum CUDA: what it reported, else inferred from its
 * version. Null when it said neither. A driver version known without a GPU
 * (the server saw only /sys or /proc) still gives the inferred CUDA: what
 * the driver could run is a fact about the driver, not the GPUs.
 */
export function driverCuda(
  gpu: GpuFacts,
  platform: DriverPlatform = 'linux'
): IDriverCuda | null {
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
    ? inferCudaFromDriver(gpu.driver_version, platform)
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
 * The minor-version compatibility floor of a CUDA major on one platform.
 */
export interface IFloor extends ISourced {
  major: number;
  /** Null where the major has no floor here (10.x; 13.x on Windows). */
  minDriver: string | null;
}

/**
 * The minor-version compatibility floor of a CUDA major; undefined for a
 * major the table does not know.
 */
export function mvcFloor(
  major: number,
  platform: DriverPlatform = 'linux'
): IFloor | undefined {
  const row = MVC_FLOORS.find(candidate => candidate.major === major);
  if (!row) {
    return undefined;
  }
  if (platform === 'linux') {
    return {
      major,
      minDriver: row.minDriver,
      sources: row.sources,
      verified: row.verified
    };
  }
  return row.windows
    ? { major, ...row.windows }
    : { major, minDriver: null, sources: row.sources, verified: row.verified };
}

/**
 * The driver bundled with CUDA X.Y: enough for that release in full.
 */
export function gaDriverFor(
  cuda: ICudaVersion,
  platform: DriverPlatform = 'linux'
): IDriverRelease | undefined {
  if (cuda.minor === null) {
    return undefined;
  }
  // A build for a minor with no release of its own (12.7) needs the next one's driver.
  const row = DRIVER_BUNDLES.find(candidate => {
    const rowCuda = parseCuda(candidate.cuda);
    return rowCuda !== null && compareCuda(rowCuda, cuda) >= 0;
  });
  const gaDriver =
    platform === 'windows' ? row?.gaDriverWindows : row?.gaDriver;
  return row && gaDriver
    ? {
        cuda: row.cuda,
        gaDriver,
        sources: row.sources,
        verified: row.verified
      }
    : undefined;
}

/**
 * The lowest driver any build of the given CUDA runs on: the major's floor
 * from CUDA 11 on, the release's own driver before; null when neither is
 * known (CUDA 13 on Windows).
 */
export function minimumDriverFor(
  cuda: ICudaVersion,
  platform: DriverPlatform = 'linux'
): string | null {
  const floor = mvcFloor(cuda.major, platform)?.minDriver;
  if (floor) {
    return floor;
  }
  return gaDriverFor(cuda, platform)?.gaDriver ?? null;
}

/**
 * Whether the driver is at least the minor-version floor of `major`. With
 * no driver version, the GA driver of the CUDA it reports is a lower bound.
 */
export function meetsFloor(
  major: number,
  drv: IDriverCuda,
  platform: DriverPlatform = 'linux'
): boolean {
  const floor = mvcFloor(major, platform)?.minDriver;
  if (!floor) {
    return false;
  }
  const known = drv.driver ?? gaDriverFor(drv.cuda, platform)?.gaDriver;
  return known !== undefined && compareVersions(known, floor) >= 0;
}

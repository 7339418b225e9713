import type { ISourced } from './sourced';

/*
 * B2: minor-version compatibility. From CUDA 11 on, a build for X.y runs on
 * any driver at least the floor of major X, with a limited feature set.
 * CUDA 10 had no such floor: a 10.x build needs its own toolkit's driver.
 */

/**
 * The lowest Linux driver that runs every CUDA X.y build of one major.
 */
export interface IMvcFloor extends ISourced {
  major: number;
  /** Minimum Linux driver; null where the major has no minor-version compatibility. */
  minDriver: string | null;
}

export const MVC_FLOORS: readonly IMvcFloor[] = [
  { major: 10, minDriver: null, sources: ['N2'], verified: true },
  { major: 11, minDriver: '450.80.02', sources: ['N1', 'N2'], verified: true },
  {
    major: 12,
    minDriver: '525.60.13',
    sources: ['N1', 'N2', 'TF2', 'J1'],
    verified: true
  },
  // NVIDIA says only "≥ 580"; the 13.0 GA driver stands in as the exact floor.
  {
    major: 13,
    minDriver: '580.65.06',
    sources: ['N1', 'N2', 'J1', 'U1'],
    verified: false
  }
];

import type { ISourced } from './sourced';

/*
 * B2: minor-version compatibility. From CUDA 11 on, a build for X.y runs on
 * any driver at least the floor of major X, with a limited feature set.
 * CUDA 10 had no such floor: a 10.x build needs its own toolkit's driver.
 * Linux and Windows drivers are numbered apart, so each has its floor.
 */

/**
 * The lowest driver that runs every CUDA X.y build of one major.
 */
export interface IMvcFloor extends ISourced {
  major: number;
  /** Minimum Linux driver; null where the major has no minor-version compatibility. */
  minDriver: string | null;
  /** The Windows floor, with its own provenance; null where there is none (10.x, 13.x "N/A"). */
  windows: (ISourced & { minDriver: string }) | null;
}

export const MVC_FLOORS: readonly IMvcFloor[] = [
  {
    major: 10,
    minDriver: null,
    windows: null,
    sources: ['N2'],
    verified: true
  },
  {
    major: 11,
    minDriver: '450.80.02',
    windows: { minDriver: '452.39', sources: ['N1', 'N2'], verified: true },
    sources: ['N1', 'N2'],
    verified: true
  },
  // Windows: 527.41 in early 12.x notes, 528.33 in later copies and the TF docs (⚠).
  {
    major: 12,
    minDriver: '525.60.13',
    windows: {
      minDriver: '527.41',
      sources: ['N1', 'N2', 'TF2'],
      verified: false
    },
    sources: ['N1', 'N2', 'TF2', 'J1'],
    verified: true
  },
  // NVIDIA says only "≥ 580"; the 13.0 GA driver stands in as the exact floor. Windows: N/A.
  {
    major: 13,
    minDriver: '580.65.06',
    windows: null,
    sources: ['N1', 'N2', 'J1', 'U1'],
    verified: false
  }
];

import type { ISourced } from './sourced';

/*
 * B1: the driver bundled with each CUDA toolkit release (the "toolkit
 * driver version"), for Linux x86_64 and for Windows (GA). A driver
 * supports the CUDA of every release whose GA driver it is at least, so
 * this table infers a driver's maximum CUDA when only its version is known.
 */

/**
 * One CUDA release and the drivers it shipped with.
 */
export interface IDriverBundle extends ISourced {
  cuda: string;
  /** The Linux driver bundled with the GA release. */
  gaDriver: string;
  /** The Windows driver bundled with the GA release; null where none was (13.x). */
  gaDriverWindows: string | null;
}

export const DRIVER_BUNDLES: readonly IDriverBundle[] = [
  // 10.x had no minor-version compatibility; their own drivers (B2) double as GA drivers.
  {
    cuda: '10.0',
    gaDriver: '410.48',
    gaDriverWindows: '411.31',
    sources: ['N2'],
    verified: true
  },
  {
    cuda: '10.1',
    gaDriver: '418.39',
    gaDriverWindows: '418.96',
    sources: ['N2'],
    verified: true
  },
  {
    cuda: '10.2',
    gaDriver: '440.33',
    gaDriverWindows: '441.22',
    sources: ['N1'],
    verified: true
  },
  // 11.0.1 was an RC (450.36.06); 11.0.2 is the GA.
  {
    cuda: '11.0',
    gaDriver: '450.51.05',
    gaDriverWindows: '451.48',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.1',
    gaDriver: '455.23',
    gaDriverWindows: '456.38',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.2',
    gaDriver: '460.27.03',
    gaDriverWindows: '460.82',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.3',
    gaDriver: '465.19.01',
    gaDriverWindows: '465.89',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.4',
    gaDriver: '470.42.01',
    gaDriverWindows: '471.11',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.5',
    gaDriver: '495.29.05',
    gaDriverWindows: '496.04',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.6',
    gaDriver: '510.39.01',
    gaDriverWindows: '511.23',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.7',
    gaDriver: '515.43.04',
    gaDriverWindows: '516.01',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '11.8',
    gaDriver: '520.61.05',
    gaDriverWindows: '520.06',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.0',
    gaDriver: '525.60.13',
    gaDriverWindows: '527.41',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.1',
    gaDriver: '530.30.02',
    gaDriverWindows: '531.14',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.2',
    gaDriver: '535.54.03',
    gaDriverWindows: '536.25',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.3',
    gaDriver: '545.23.06',
    gaDriverWindows: '545.84',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.4',
    gaDriver: '550.54.14',
    gaDriverWindows: '551.61',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.5',
    gaDriver: '555.42.02',
    gaDriverWindows: '555.85',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.6',
    gaDriver: '560.28.03',
    gaDriverWindows: '560.76',
    sources: ['N1'],
    verified: true
  },
  // There is no CUDA 12.7.
  {
    cuda: '12.8',
    gaDriver: '570.26',
    gaDriverWindows: '570.65',
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '12.9',
    gaDriver: '575.51.03',
    gaDriverWindows: '576.02',
    sources: ['N1'],
    verified: true
  },
  // From 13.0 on the toolkit bundles no Windows driver ("N/A").
  {
    cuda: '13.0',
    gaDriver: '580.65.06',
    gaDriverWindows: null,
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '13.1',
    gaDriver: '590.44.01',
    gaDriverWindows: null,
    sources: ['N1'],
    verified: true
  },
  {
    cuda: '13.2',
    gaDriver: '595.45.04',
    gaDriverWindows: null,
    sources: ['N1'],
    verified: true
  }
];

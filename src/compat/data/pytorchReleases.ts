import type { ISourced } from './sourced';

/*
 * D1: PyTorch official builds per release series — the Python versions and
 * CUDA builds it was published for (T1, the RELEASE.md matrix). Rows from
 * 2.10 on are flagged ⚠ in the reference.
 */

/**
 * One PyTorch release series (`first`…`last` are major.minor).
 */
export interface IPytorchRelease extends ISourced {
  first: string;
  last: string;
  /** Supported Python, major.minor inclusive. */
  python: { min: string; max: string };
  /** Python versions published as experimental only. */
  experimentalPython: string[];
  /** Stable CUDA builds, then the experimental ones. */
  cuda: string[];
  experimentalCuda: string[];
}

export const PYTORCH_RELEASES: readonly IPytorchRelease[] = [
  {
    first: '1.12',
    last: '1.12',
    python: { min: '3.7', max: '3.10' },
    experimentalPython: [],
    // 10.2 wheels too (T3).
    cuda: ['10.2', '11.3'],
    experimentalCuda: ['11.6'],
    sources: ['T1', 'T3'],
    verified: true
  },
  {
    first: '1.13',
    last: '1.13',
    python: { min: '3.7', max: '3.10' },
    experimentalPython: [],
    cuda: ['11.6'],
    experimentalCuda: ['11.7'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.0',
    last: '2.0',
    python: { min: '3.8', max: '3.11' },
    experimentalPython: [],
    cuda: ['11.7'],
    experimentalCuda: ['11.8'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.1',
    last: '2.1',
    python: { min: '3.8', max: '3.11' },
    experimentalPython: [],
    cuda: ['11.8'],
    experimentalCuda: ['12.1'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.2',
    last: '2.3',
    python: { min: '3.8', max: '3.11' },
    experimentalPython: ['3.12'],
    cuda: ['11.8'],
    experimentalCuda: ['12.1'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.4',
    last: '2.4',
    python: { min: '3.8', max: '3.12' },
    experimentalPython: [],
    cuda: ['11.8', '12.1'],
    experimentalCuda: ['12.4'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.5',
    last: '2.5',
    python: { min: '3.9', max: '3.12' },
    experimentalPython: ['3.13'],
    cuda: ['11.8', '12.1', '12.4'],
    experimentalCuda: [],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.6',
    last: '2.6',
    python: { min: '3.9', max: '3.13' },
    experimentalPython: [],
    cuda: ['11.8', '12.4'],
    experimentalCuda: ['12.6'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.7',
    last: '2.7',
    python: { min: '3.9', max: '3.13' },
    experimentalPython: [],
    cuda: ['11.8', '12.6'],
    experimentalCuda: ['12.8'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.8',
    last: '2.8',
    python: { min: '3.9', max: '3.13' },
    experimentalPython: [],
    cuda: ['12.6', '12.8'],
    experimentalCuda: ['12.9'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.9',
    last: '2.9',
    python: { min: '3.10', max: '3.14' },
    experimentalPython: [],
    cuda: ['12.6', '12.8'],
    experimentalCuda: ['13.0'],
    sources: ['T1'],
    verified: true
  },
  {
    first: '2.10',
    last: '2.10',
    python: { min: '3.10', max: '3.14' },
    experimentalPython: [],
    cuda: ['12.6', '12.8'],
    experimentalCuda: ['13.0'],
    sources: ['T1'],
    verified: false
  },
  {
    first: '2.11',
    last: '2.11',
    python: { min: '3.10', max: '3.14' },
    experimentalPython: [],
    cuda: ['12.6', '12.8', '13.0'],
    experimentalCuda: [],
    sources: ['T1'],
    verified: false
  },
  {
    first: '2.12',
    last: '2.12',
    python: { min: '3.10', max: '3.14' },
    experimentalPython: [],
    cuda: ['12.6', '13.0', '13.2'],
    experimentalCuda: [],
    sources: ['T1'],
    verified: false
  },
  {
    first: '2.13',
    last: '2.14',
    python: { min: '3.10', max: '3.15' },
    experimentalPython: [],
    cuda: ['12.6', '13.0', '13.2'],
    experimentalCuda: [],
    sources: ['T1'],
    verified: false
  }
];

/**
 * The versions of the `pytorch-cuda` metapackage the pytorch channel
 * published (B1); the channel was frozen after 2.5 (B2).
 */
export const PYTORCH_CUDA_METAPACKAGE: ISourced & {
  versions: readonly string[];
  lastPytorch: string;
} = {
  versions: ['11.6', '11.7', '11.8', '12.1', '12.4'],
  lastPytorch: '2.5',
  sources: ['B1', 'B2'],
  verified: true
};

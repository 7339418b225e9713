import type { ISourced } from './sourced';

/*
 * D2: TensorFlow's tested build configurations for Linux GPU (TF1): the
 * Python range and the CUDA each release was built with.
 */

/**
 * One TensorFlow release series (`first`…`last` are major.minor).
 */
export interface ITensorflowRelease extends ISourced {
  first: string;
  last: string;
  python: { min: string; max: string };
  cuda: string;
  cudnn: string;
}

export const TENSORFLOW_RELEASES: readonly ITensorflowRelease[] = [
  {
    first: '2.8',
    last: '2.11',
    python: { min: '3.7', max: '3.10' },
    cuda: '11.2',
    cudnn: '8.1',
    sources: ['TF1'],
    verified: true
  },
  {
    first: '2.12',
    last: '2.13',
    python: { min: '3.8', max: '3.11' },
    cuda: '11.8',
    cudnn: '8.6',
    sources: ['TF1'],
    verified: true
  },
  {
    first: '2.14',
    last: '2.14',
    python: { min: '3.9', max: '3.11' },
    cuda: '11.8',
    cudnn: '8.7',
    sources: ['TF1'],
    verified: true
  },
  {
    first: '2.15',
    last: '2.15',
    python: { min: '3.9', max: '3.11' },
    cuda: '12.2',
    cudnn: '8.9',
    sources: ['TF1'],
    verified: true
  },
  {
    first: '2.16',
    last: '2.17',
    python: { min: '3.9', max: '3.12' },
    cuda: '12.3',
    cudnn: '8.9',
    sources: ['TF1'],
    verified: true
  },
  {
    first: '2.18',
    last: '2.19',
    python: { min: '3.9', max: '3.12' },
    cuda: '12.5',
    cudnn: '9.3',
    sources: ['TF1'],
    verified: true
  },
  {
    first: '2.20',
    last: '2.20',
    python: { min: '3.9', max: '3.13' },
    cuda: '12.5',
    cudnn: '9.3',
    sources: ['TF1'],
    verified: true
  },
  {
    first: '2.21',
    last: '2.21',
    python: { min: '3.10', max: '3.13' },
    cuda: '12.5',
    cudnn: '9.3',
    sources: ['TF1'],
    verified: true
  }
];

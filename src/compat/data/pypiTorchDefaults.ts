import type { ISourced } from './sourced';

/*
 * C2: the CUDA of a plain `torch` wheel from PyPI on Linux x86_64 (no local
 * version, no `+cu…`). Windows and macOS PyPI wheels are CPU-only. Several
 * rows are flagged ⚠ in the reference.
 */

/**
 * The default CUDA of the PyPI torch wheels of one release series.
 */
export interface IPypiTorchDefault extends ISourced {
  first: string;
  last: string;
  cuda: string;
}

export const PYPI_TORCH_DEFAULTS: readonly IPypiTorchDefault[] = [
  {
    first: '1.13',
    last: '2.0',
    cuda: '11.7',
    sources: ['T3', 'I5'],
    verified: true
  },
  {
    first: '2.1',
    last: '2.1',
    cuda: '12.1',
    sources: ['T3', 'U2'],
    verified: true
  },
  {
    first: '2.2',
    last: '2.4',
    cuda: '12.1',
    sources: ['T3', 'U2'],
    verified: false
  },
  {
    first: '2.5',
    last: '2.6',
    cuda: '12.4',
    sources: ['T3', 'U2'],
    verified: false
  },
  {
    first: '2.7',
    last: '2.7',
    cuda: '12.6',
    sources: ['T2', 'U2'],
    verified: true
  },
  {
    first: '2.8',
    last: '2.10',
    cuda: '12.8',
    sources: ['T2', 'U2'],
    verified: false
  },
  {
    first: '2.11',
    last: '2.99',
    cuda: '13.0',
    sources: ['T2', 'I6'],
    verified: true
  }
];

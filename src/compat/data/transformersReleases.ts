import type { ISourced } from './sourced';

/*
 * D4: Hugging Face Transformers minimums. Transformers is pure Python with
 * only lower bounds, so a release gives a minimum Python and a minimum torch
 * and no maximum. The mapping of PRs to releases is inferred from dates, so
 * every row is unverified (⚠ in the reference).
 */

/**
 * One series of Transformers releases (`first`…`last` are major.minor).
 */
export interface ITransformersRelease extends ISourced {
  first: string;
  last: string;
  minPython: string;
  minTorch: string;
}

export const TRANSFORMERS_RELEASES: readonly ITransformersRelease[] = [
  {
    first: '4.0',
    last: '4.18',
    minPython: '3.6',
    minTorch: '1.0',
    sources: ['H1'],
    verified: false
  },
  {
    first: '4.19',
    last: '4.30',
    minPython: '3.7',
    minTorch: '1.7',
    sources: ['H2', 'H3'],
    verified: false
  },
  // 1.11 came later in this series (PR #28207, ~Jan 2024); 1.10 is the safe lower bound.
  {
    first: '4.31',
    last: '4.46',
    minPython: '3.8',
    minTorch: '1.10',
    sources: ['H4', 'H5'],
    verified: false
  },
  // 4.47 (Dec 2024) dropped Python 3.8 but came before PR #35479 (merged Jan 2025).
  {
    first: '4.47',
    last: '4.47',
    minPython: '3.9',
    minTorch: '1.11',
    sources: ['H5', 'H6'],
    verified: false
  },
  {
    first: '4.48',
    last: '4.50',
    minPython: '3.9',
    minTorch: '2.0',
    sources: ['H6', 'H7'],
    verified: false
  },
  {
    first: '4.51',
    last: '4.55',
    minPython: '3.9',
    minTorch: '2.1',
    sources: ['H6', 'H7'],
    verified: false
  },
  {
    first: '4.56',
    last: '4.99',
    minPython: '3.9',
    minTorch: '2.2',
    sources: ['H6', 'H8'],
    verified: false
  },
  {
    first: '5.0',
    last: '5.99',
    minPython: '3.10',
    minTorch: '2.4',
    sources: ['H9'],
    verified: false
  }
];

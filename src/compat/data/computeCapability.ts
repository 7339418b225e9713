import type { ISourced } from './sourced';

/*
 * E: which GPUs a build can run on. Each CUDA major dropped old
 * architectures, and PyTorch's official wheels compile machine code (SASS)
 * for a fixed list of compute capabilities, sometimes plus PTX for the
 * newest, which the driver can JIT-compile for newer GPUs.
 */

/**
 * The lowest compute capability builds of a CUDA major can target.
 */
export interface IMinComputeCapability extends ISourced {
  cudaMajor: number;
  minComputeCapability: string;
  /** What was dropped, for the message. */
  dropped: string;
}

export const MIN_COMPUTE_CAPABILITY: readonly IMinComputeCapability[] = [
  {
    cudaMajor: 11,
    minComputeCapability: '3.5',
    dropped: 'sm_30 and sm_32',
    sources: ['L1'],
    verified: false
  },
  {
    cudaMajor: 12,
    minComputeCapability: '5.0',
    dropped: 'Kepler (sm_35, sm_37)',
    sources: ['L1', 'J2'],
    verified: true
  },
  {
    cudaMajor: 13,
    minComputeCapability: '7.5',
    dropped: 'Maxwell, Pascal and Volta',
    sources: ['N1'],
    verified: true
  }
];

/**
 * GPUs from `minComputeCapability` on (Blackwell) need builds for CUDA
 * `minCuda` or later.
 */
export const NEWEST_ARCH_NEEDS: ISourced & {
  minComputeCapability: string;
  minCuda: string;
  name: string;
} = {
  minComputeCapability: '10.0',
  minCuda: '12.8',
  name: 'Blackwell',
  sources: ['N7'],
  verified: false
};

/**
 * The architectures PyTorch's official CUDA builds (pytorch channel,
 * download.pytorch.org and PyPI wheels) compile for.
 */
export interface ITorchArchList extends ISourced {
  cuda: string;
  /** First torch release this list holds for; null: every release with this CUDA build. */
  firstTorch: string | null;
  /** Compute capabilities with machine code (SASS). */
  sass: string[];
  /** Compute capability of the embedded PTX, if any. */
  ptx: string | null;
}

export const TORCH_ARCH_LISTS: readonly ITorchArchList[] = [
  {
    cuda: '12.6',
    firstTorch: null,
    sass: ['5.0', '6.0', '7.0', '7.5', '8.0', '8.6', '9.0'],
    ptx: null,
    sources: ['T1', 'T4'],
    verified: true
  },
  // Maxwell to Volta were removed from the 12.8 builds with 2.8.
  {
    cuda: '12.8',
    firstTorch: '2.8',
    sass: ['7.5', '8.0', '8.6', '9.0', '10.0', '12.0'],
    ptx: null,
    sources: ['T1', 'T4'],
    verified: false
  },
  // The reference gives "7.5…12.0 + PTX"; the SASS list in between is assumed.
  {
    cuda: '12.9',
    firstTorch: null,
    sass: ['7.5', '8.0', '8.6', '9.0', '10.0', '12.0'],
    ptx: '12.0',
    sources: ['T1', 'T4'],
    verified: false
  },
  {
    cuda: '13.0',
    firstTorch: null,
    sass: ['7.5', '8.0', '8.6', '9.0', '10.0', '12.0'],
    ptx: '12.0',
    sources: ['T1', 'T4'],
    verified: false
  }
];

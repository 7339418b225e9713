import type { ISourced } from './sourced';

/*
 * D3: JAX. JAX declares only a minimum Python, and gains wheels for each new
 * Python at a known release; the supported range of a release follows from
 * both tables. jax and jaxlib share version numbers since 0.4, except the
 * first Python 3.10 wheels (jaxlib 0.1.75 with jax 0.2.26).
 */

/**
 * From `since` on, JAX needs at least Python `minPython`.
 */
export interface IJaxPythonFloor extends ISourced {
  since: string;
  minPython: string;
}

export const JAX_PYTHON_FLOORS: readonly IJaxPythonFloor[] = [
  { since: '0.4.1', minPython: '3.8', sources: ['J2'], verified: true },
  { since: '0.4.14', minPython: '3.9', sources: ['J2'], verified: true },
  { since: '0.4.31', minPython: '3.10', sources: ['J2'], verified: true },
  { since: '0.7.0', minPython: '3.11', sources: ['J2'], verified: true },
  { since: '0.11.0', minPython: '3.12', sources: ['J2'], verified: true }
];

/**
 * The first release with wheels for `python`.
 */
export interface IJaxPythonFirst extends ISourced {
  python: string;
  jaxlib: string;
  jax: string;
}

export const JAX_PYTHON_FIRST: readonly IJaxPythonFirst[] = [
  {
    python: '3.10',
    jaxlib: '0.1.75',
    jax: '0.2.26',
    sources: ['J2'],
    verified: true
  },
  {
    python: '3.11',
    jaxlib: '0.3.24',
    jax: '0.3.24',
    sources: ['J2'],
    verified: true
  },
  {
    python: '3.12',
    jaxlib: '0.4.17',
    jax: '0.4.17',
    sources: ['J2'],
    verified: true
  },
  {
    python: '3.13',
    jaxlib: '0.4.34',
    jax: '0.4.34',
    sources: ['J2'],
    verified: true
  },
  {
    python: '3.14',
    jaxlib: '0.7.1',
    jax: '0.7.1',
    sources: ['J2'],
    verified: true
  }
];

/**
 * What a JAX CUDA plugin of one major needs (J1, current installation docs).
 */
export interface IJaxCudaPlugin extends ISourced {
  cudaMajor: number;
  /** Lowest CUDA runtime it works with. */
  minCuda: string;
  minDriver: string;
  /** Lowest GPU compute capability. */
  minComputeCapability: string;
}

export const JAX_CUDA_PLUGINS: readonly IJaxCudaPlugin[] = [
  {
    cudaMajor: 12,
    minCuda: '12.1',
    minDriver: '525',
    minComputeCapability: '5.2',
    sources: ['J1'],
    verified: true
  },
  {
    cudaMajor: 13,
    minCuda: '13.0',
    minDriver: '580',
    minComputeCapability: '7.5',
    sources: ['J1'],
    verified: true
  }
];

import type { ISourced } from './sourced';

/*
 * §C: the ways package metadata says "built for CUDA X.Y" or "CPU only".
 * Each reading of an environment names the encoding it came from, so a
 * verdict can cite how the build was recognised.
 */

export type Encoding =
  /** pytorch channel build string: `py3.10_cuda11.8_cudnn8.7.0_0`, `py3.10_cpu_0`. */
  | 'pytorch-channel-build'
  /** conda-forge/defaults build string: `cuda118py310h…`, `cuda126_mkl_py312_h…`, `gpu_cuda124py39h…`, `cpu_…`. */
  | 'conda-build'
  /** conda-forge pytorch ~2.1–2.4: `cuda118_py310h…`, `cuda12_py312h…` (⚠ in the reference). */
  | 'conda-build-cuda-py'
  /** The `pytorch-mutex` build (`cuda`/`cpu`) and the `cpuonly` metapackage. */
  | 'pytorch-mutex'
  /** The `pytorch-cuda` X.Y metapackage. */
  | 'pytorch-cuda'
  /** The legacy monolithic `cudatoolkit` X.Y. */
  | 'cudatoolkit'
  /** The `cuda-version` X.Y metapackage. */
  | 'cuda-version'
  /** `__cuda` among a record's depends. */
  | 'cuda-depends'
  /** PEP 440 local version: `2.1.0+cu118`, `+cpu`, `+rocm6.3`. */
  | 'pip-local-version'
  /** A plain PyPI torch on Linux: the CUDA PyPI builds that release with. */
  | 'pypi-default'
  /** `nvidia-*-cu12` wheels, or the suffix-less CUDA 13 ones. */
  | 'nvidia-wheels'
  /** `jax-cuda12-plugin`/`-pjrt`, `jax-cuda13-plugin`. */
  | 'jax-plugin'
  /** Pre-plugin `jaxlib 0.4.x+cuda12.cudnn89`. */
  | 'jaxlib-local-version'
  /** `cupy-cuda12x`, `cupy-cuda102`, … */
  | 'cupy-wheel'
  /** onnxruntime-gpu's PyPI default CUDA. */
  | 'onnxruntime-gpu'
  /** A pip TensorFlow without CUDA wheels: the CUDA it was built and tested with. */
  | 'tensorflow-tested-build'
  /** Wheels for this platform are CPU-only (PyPI torch on Windows/macOS). */
  | 'platform-default'
  /** A conda record with no CUDA in its build string or depends. */
  | 'no-cuda-signal';

export const ENCODING_SOURCES: Readonly<Record<Encoding, ISourced>> = {
  'pytorch-channel-build': { sources: ['B1', 'T3'], verified: true },
  'conda-build': { sources: ['F1', 'F2', 'F3', 'A-ORT'], verified: true },
  // The reference dates this form only roughly ("~2.1–2.4 ⚠").
  'conda-build-cuda-py': { sources: ['F1'], verified: false },
  'pytorch-mutex': { sources: ['B1'], verified: true },
  'pytorch-cuda': { sources: ['B1'], verified: true },
  cudatoolkit: { sources: ['F4', 'T3'], verified: true },
  'cuda-version': { sources: ['F4'], verified: true },
  'cuda-depends': { sources: ['F1', 'F5'], verified: true },
  'pip-local-version': { sources: ['T3', 'U2'], verified: true },
  // The row of PYPI_TORCH_DEFAULTS that applies decides.
  'pypi-default': { sources: ['T3'], verified: true },
  'nvidia-wheels': { sources: ['T2'], verified: true },
  'jax-plugin': { sources: ['J1', 'J2'], verified: true },
  'jaxlib-local-version': { sources: ['J1', 'J2'], verified: true },
  'cupy-wheel': { sources: ['CP'], verified: true },
  'onnxruntime-gpu': { sources: ['ORT'], verified: true },
  'tensorflow-tested-build': { sources: ['TF1', 'TF2'], verified: true },
  'platform-default': { sources: ['T3', 'TF2'], verified: true },
  // An inference from absence, not a documented encoding.
  'no-cuda-signal': { sources: ['C3'], verified: false }
};

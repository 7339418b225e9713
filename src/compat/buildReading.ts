import type { ICudaVersion } from './cudaVersion';
import { parseCuda, parseCudaDigits } from './cudaVersion';
import type { Encoding } from './data/encodings';

/*
 * Reading one build string or one local version (§C). The patterns are
 * those of the reference's heuristics: pytorch channel `_cuda(\d+\.\d+)_cudnn`,
 * conda-forge `^cuda(\d{2,3})[_p]` (also after `gpu_` on defaults), CPU
 * `(^|_)cpu_`.
 */

export type BuildKind = 'cuda' | 'cpu' | 'rocm' | 'unknown';

/**
 * What one encoding says about a build.
 */
export interface IBuildReading {
  kind: BuildKind;
  /** Null for CPU/ROCm builds, and for CUDA builds that do not say which CUDA. */
  cuda: ICudaVersion | null;
  encoding: Encoding;
  /** What was read, for messages: "build string py3.10_cuda11.8_cudnn8.7.0_0". */
  detail: string;
}

/**
 * A conda build string; null when it says nothing about CUDA.
 */
export function readCondaBuild(build: string): IBuildReading | null {
  const detail = `build string ${build}`;
  const channel = /(?:^|_)cuda(\d+\.\d+)_cudnn/.exec(build);
  if (channel) {
    return {
      kind: 'cuda',
      cuda: parseCuda(channel[1]),
      encoding: 'pytorch-channel-build',
      detail
    };
  }
  if (/^py\d+\.\d+_cpu_\d+$/.test(build)) {
    return {
      kind: 'cpu',
      cuda: null,
      encoding: 'pytorch-channel-build',
      detail
    };
  }
  // conda-forge pytorch ~2.1–2.4: `cuda118_py310h…`, `cuda12_py312h…` (a form the reference marks ⚠).
  const underscored = /(?:^|_)cuda(\d{2,3})_py\d+h/.exec(build);
  if (underscored) {
    return {
      kind: 'cuda',
      cuda: parseCudaDigits(underscored[1]),
      encoding: 'conda-build-cuda-py',
      detail
    };
  }
  // `cuda118py310h…`, `cuda126_mkl_py312_h…`, `gpu_cuda124py39h…`.
  const forge = /(?:^|_)cuda(\d{2,3})(?=[_p])/.exec(build);
  if (forge) {
    return {
      kind: 'cuda',
      cuda: parseCudaDigits(forge[1]),
      encoding: 'conda-build',
      detail
    };
  }
  // defaults' `gpu_py310h…` says CUDA but not which; the cudatoolkit it needs does.
  if (/^gpu_/.test(build)) {
    return { kind: 'cuda', cuda: null, encoding: 'conda-build', detail };
  }
  if (/(?:^|_)cpu(?:_|$)/.test(build)) {
    return { kind: 'cpu', cuda: null, encoding: 'conda-build', detail };
  }
  return null;
}

/**
 * The PEP 440 local part of a version, lower case; null when it has none.
 */
export function localPart(version: string): string | null {
  const plus = version.indexOf('+');
  return plus < 0 ? null : version.slice(plus + 1).toLowerCase();
}

/**
 * A pip version's PEP 440 local part; null when it has none or says
 * nothing this engine recognises (an NGC `+ecf3bae40a.nv25.01`, a source
 * build's `+git1234`): callers must not then read the version as a plain
 * PyPI release.
 */
export function readLocalVersion(version: string): IBuildReading | null {
  const local = localPart(version);
  if (local === null) {
    return null;
  }
  const detail = `local version +${local}`;
  // `+cu118`, and `+cu121.with.pypi.cudnn` (2.1's PyPI-cuDNN variant).
  const cu = /^cu(\d{2,3})(?:$|[._])/.exec(local);
  if (cu) {
    return {
      kind: 'cuda',
      cuda: parseCudaDigits(cu[1]),
      encoding: 'pip-local-version',
      detail
    };
  }
  if (/^cpu(?:$|[._])/.test(local)) {
    return { kind: 'cpu', cuda: null, encoding: 'pip-local-version', detail };
  }
  if (/^rocm\d/.test(local)) {
    return { kind: 'rocm', cuda: null, encoding: 'pip-local-version', detail };
  }
  const jax = /^cuda(\d{2,3})(?:[._]|$)/.exec(local);
  if (jax) {
    return {
      kind: 'cuda',
      // `cuda12.cudnn89` → 12.x (major only), `cuda111` → 11.1.
      cuda: parseCudaDigits(jax[1]),
      encoding: 'jaxlib-local-version',
      detail
    };
  }
  return null;
}

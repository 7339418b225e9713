import type { ISourced } from './sourced';

/*
 * C2: how pip packages other than torch say which CUDA they are for.
 */

/**
 * onnxruntime-gpu on PyPI: CUDA 12 (with cuDNN 9) by default since 1.19; a
 * 12.x build runs on any 12.x. Earlier releases defaulted to CUDA 11.8, which
 * the reference does not state, so that row is unverified.
 */
export interface IOnnxruntimeGpuDefault extends ISourced {
  since: string;
  cuda: string;
}

export const ONNXRUNTIME_GPU_DEFAULTS: readonly IOnnxruntimeGpuDefault[] = [
  { since: '0', cuda: '11.8', sources: ['ORT'], verified: false },
  { since: '1.19', cuda: '12', sources: ['ORT'], verified: true }
];

/**
 * NVIDIA's CUDA library wheels: `nvidia-*-cu11`/`-cu12` carry the major in
 * the name; CUDA 13 drops the suffix for toolkit libraries, whose version
 * then starts with the CUDA major. `nvidia-cuda-runtime[-cuXX]`'s version is
 * the CUDA version itself.
 */
export const NVIDIA_WHEELS: ISourced & {
  suffixless: readonly string[];
  runtime: string;
} = {
  suffixless: ['nvidia-cuda-runtime', 'nvidia-cublas'],
  runtime: 'nvidia-cuda-runtime',
  sources: ['T2'],
  verified: true
};

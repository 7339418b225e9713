import type { PackageRecord, PackageSource } from './packageRecord';

import { dependency } from './records';

/*
 * The frameworks the engine judges, found by their package names on conda
 * and PyPI. One entry per framework: when pip installed over conda, pip's
 * copy is the one Python imports, so the pip record stands for it (the
 * shadowing itself is a verdict of its own).
 */

export type FrameworkKind =
  'pytorch' | 'tensorflow' | 'jax' | 'transformers' | 'cupy' | 'onnxruntime';

/**
 * A framework installed in the environment.
 */
export interface IFramework {
  kind: FrameworkKind;
  /** Display name, e.g. "PyTorch". */
  label: string;
  /** The record's name: `pytorch` (conda), `torch` (pip), `cupy-cuda12x`, … */
  name: string;
  version: string;
  source: PackageSource;
  /** The record itself, for the build string, channel and depends. */
  record: PackageRecord;
}

export const FRAMEWORK_LABELS: Readonly<Record<FrameworkKind, string>> = {
  pytorch: 'PyTorch',
  tensorflow: 'TensorFlow',
  jax: 'JAX',
  transformers: 'Transformers',
  cupy: 'CuPy',
  onnxruntime: 'ONNX Runtime'
};

// Names in order of preference within a source.
const NAMES: Readonly<Record<FrameworkKind, (name: string) => number>> = {
  pytorch: rankIn(['torch', 'pytorch']),
  tensorflow: rankIn([
    'tensorflow',
    'tensorflow-gpu',
    'tensorflow-cpu',
    'tensorflow-base'
  ]),
  jax: rankIn(['jax', 'jaxlib']),
  transformers: rankIn(['transformers']),
  cupy: name => (/^cupy(-cuda\d+x?)?$/.test(name) ? 0 : -1),
  onnxruntime: rankIn(['onnxruntime-gpu', 'onnxruntime'])
};

function rankIn(names: string[]): (name: string) => number {
  return name => names.indexOf(name);
}

/**
 * A CPU `onnxruntime` is common and says nothing about the GPU; only its GPU
 * builds (`gpu_cuda124py39h…`, or depending on `__cuda`) are a framework here.
 */
function isOnnxruntimeCpu(record: PackageRecord): boolean {
  return (
    record.normalized_name === 'onnxruntime' &&
    !(
      record.source === 'conda' &&
      (/cuda/.test(record.build) || dependency(record, '__cuda') !== null)
    )
  );
}

/**
 * The frameworks present, in the order of `FrameworkKind`.
 */
export function detectFrameworks(
  records: readonly PackageRecord[]
): IFramework[] {
  const found: IFramework[] = [];
  for (const kind of Object.keys(NAMES) as FrameworkKind[]) {
    const rank = NAMES[kind];
    const candidates = records
      .filter(r => rank(r.normalized_name) >= 0)
      .filter(r => kind !== 'onnxruntime' || !isOnnxruntimeCpu(r))
      .sort(
        (a, b) =>
          Number(b.source === 'pypi') - Number(a.source === 'pypi') ||
          rank(a.normalized_name) - rank(b.normalized_name)
      );
    const record = candidates[0];
    if (record) {
      found.push({
        kind,
        label: FRAMEWORK_LABELS[kind],
        name: record.name,
        version: record.version,
        source: record.source,
        record
      });
    }
  }
  return found;
}

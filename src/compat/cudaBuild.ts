import type { PackageRecord } from './packageRecord';

import type { IReading } from './buildEvidence';
import { fromSignal, signalOf, unknown } from './buildEvidence';
import type { BuildKind } from './buildReading';
import { fromCondaRecord } from './condaBuild';
import type { ICudaSignal } from './cudaSignals';
import { cudaKey } from './cudaVersion';
import type { Encoding } from './data/encodings';
import type { ISourced } from './data/sourced';
import type { FrameworkKind, IFramework } from './frameworks';
import { pipJax, pipTensorflow, pipTorch, withRuntimeMinor } from './pipBuild';
import { findRecord } from './records';

/*
 * Which build of each framework the environment has: CUDA X.Y, CPU-only,
 * ROCm, or unknown — from the framework's own record first (build string,
 * local version), then from what it depends on, then from defaults.
 */

/**
 * The build of one framework.
 */
export interface ICudaBuildInfo extends ISourced {
  framework: FrameworkKind;
  /** The framework's record name. */
  package: string;
  version: string;
  kind: BuildKind;
  /** "11.8"; "12" when only the major is known; null for non-CUDA or unknown builds. */
  cuda: string | null;
  /** The encoding that decided; null when nothing did. */
  encoding: Encoding | null;
  /** What was read, e.g. "build string py3.10_cuda11.8_cudnn8.7.0_0". */
  detail: string;
  /** From a default table or the absence of signals, not from the package itself. */
  inferred: boolean;
  /** The records that carry the evidence. */
  packages: string[];
}

function readFramework(
  framework: IFramework,
  records: readonly PackageRecord[],
  signals: readonly ICudaSignal[],
  subdir: string
): IReading | null {
  const record = framework.record;
  switch (framework.kind) {
    case 'pytorch':
      return record.source === 'pypi'
        ? pipTorch(record, signals, subdir)
        : fromCondaRecord(record, signals);
    case 'tensorflow': {
      if (record.source === 'pypi') {
        return pipTensorflow(record, signals, subdir);
      }
      // conda-forge's `tensorflow` may be a thin metapackage; `tensorflow-base` holds the build.
      const base = findRecord(records, 'tensorflow-base');
      const own = fromCondaRecord(record, signals);
      return own.encoding === 'no-cuda-signal' && base && base !== record
        ? fromCondaRecord(base, signals)
        : own;
    }
    case 'jax': {
      const pip = pipJax(records, signals);
      if (pip) {
        return pip;
      }
      const jaxlib = findRecord(records, 'jaxlib') ?? record;
      return fromCondaRecord(jaxlib, signals);
    }
    case 'cupy': {
      if (record.source === 'pypi') {
        const wheel = signalOf(signals, record.normalized_name);
        return wheel
          ? withRuntimeMinor(fromSignal(wheel, []), signals)
          : unknown(
              record,
              'a CuPy built from source: its CUDA is not recorded'
            );
      }
      return fromCondaRecord(record, signals);
    }
    case 'onnxruntime': {
      if (record.source === 'pypi') {
        const wheel = signalOf(signals, record.normalized_name);
        return wheel ? withRuntimeMinor(fromSignal(wheel, []), signals) : null;
      }
      return fromCondaRecord(record, signals);
    }
    case 'transformers':
      // Pure Python: it runs on whatever build of PyTorch/TensorFlow/JAX is there.
      return null;
  }
}

/**
 * The build of every framework that has one (Transformers has none).
 */
export function detectCudaBuilds(
  frameworks: readonly IFramework[],
  records: readonly PackageRecord[],
  signals: readonly ICudaSignal[],
  subdir: string
): ICudaBuildInfo[] {
  const builds: ICudaBuildInfo[] = [];
  for (const framework of frameworks) {
    const found = readFramework(framework, records, signals, subdir);
    if (!found) {
      continue;
    }
    const packages = [framework.record.name];
    for (const p of found.packages) {
      if (!packages.includes(p)) {
        packages.push(p);
      }
    }
    builds.push({
      framework: framework.kind,
      package: framework.record.name,
      version: framework.version,
      kind: found.kind,
      cuda: found.kind === 'cuda' && found.cuda ? cudaKey(found.cuda) : null,
      encoding: found.encoding,
      detail: found.detail,
      inferred: found.inferred,
      packages,
      sources: found.sourced.sources,
      verified: found.sourced.verified
    });
  }
  return builds;
}

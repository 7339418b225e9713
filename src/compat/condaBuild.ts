import type { PackageRecord } from './packageRecord';

import type { IReading } from './buildEvidence';
import { fromSignal, reading, signalOf } from './buildEvidence';
import type { BuildKind } from './buildReading';
import { readCondaBuild } from './buildReading';
import type { ICudaSignal } from './cudaSignals';
import { dependency } from './records';

/*
 * The build of a framework conda installed, read from its record: the build
 * string, the `__cuda` and CUDA-pin depends, the pytorch mutex.
 */

const CUDA_PINS = ['pytorch-cuda', 'cudatoolkit', 'cuda-version'];

/**
 * A build string that names only the major (`cuda12_py312h…`) gets its
 * minor from the environment's `cuda-version` of the same major, the CUDA
 * conda-forge builds pin.
 */
function withCudaVersionMinor(
  base: IReading,
  signals: readonly ICudaSignal[]
): IReading {
  const version = signalOf(signals, 'cuda-version');
  if (
    !base.cuda ||
    base.cuda.minor !== null ||
    !version?.cuda ||
    version.cuda.major !== base.cuda.major ||
    version.cuda.minor === null
  ) {
    return base;
  }
  return {
    ...base,
    cuda: version.cuda,
    detail: `${base.detail}; ${version.detail}`,
    packages: base.packages.includes(version.package)
      ? base.packages
      : [...base.packages, version.package]
  };
}

/**
 * A conda record: its build string, then `__cuda`, then the CUDA pins it
 * depends on, then the pytorch mutex; no signal at all means CPU.
 */
export function fromCondaRecord(
  record: PackageRecord,
  signals: readonly ICudaSignal[]
): IReading {
  const own = [record.name];
  const build = readCondaBuild(record.build);
  if (build && (build.kind !== 'cuda' || build.cuda)) {
    const pins = CUDA_PINS.filter(
      p => dependency(record, p) && signalOf(signals, p)
    );
    const found = reading(build, [
      ...own,
      ...pins.map(p => signalOf(signals, p)?.package ?? p)
    ]);
    return build.kind === 'cuda' ? withCudaVersionMinor(found, signals) : found;
  }
  const cudaDep = dependency(record, '__cuda');
  if (cudaDep !== null) {
    // conda-forge builds pin `cuda-version`; the environment's record says which X.Y.
    const version = signalOf(signals, 'cuda-version');
    const detail = `${record.name} depends on __cuda${version ? `; ${version.detail}` : ''}`;
    return reading(
      {
        kind: 'cuda',
        cuda: version?.cuda ?? null,
        encoding: 'cuda-depends',
        detail
      },
      version ? [...own, version.package] : own
    );
  }
  for (const pin of CUDA_PINS) {
    const spec = dependency(record, pin);
    const pinned = spec ? signalOf(signals, pin) : undefined;
    if (spec && pinned) {
      return fromSignal(
        pinned,
        own,
        `${record.name} depends on ${spec}; ${pinned.detail}`
      );
    }
  }
  if (build) {
    // `gpu_…` without a pin: a CUDA build of unknown CUDA.
    return reading(build, own);
  }
  const mutex = dependency(record, 'pytorch-mutex');
  const mutexKind = mutex ? /\b(cuda|cpu)\s*$/.exec(mutex) : null;
  if (mutex && mutexKind) {
    const kind = mutexKind[1] as BuildKind;
    return reading(
      {
        kind,
        cuda: null,
        encoding: 'pytorch-mutex',
        detail: `${record.name} depends on ${mutex}`
      },
      own
    );
  }
  return reading(
    {
      kind: 'cpu',
      cuda: null,
      encoding: 'no-cuda-signal',
      detail: `${record.name} ${record.version} (${record.build}) names no CUDA in its build string or depends`
    },
    own,
    true
  );
}

import type { PackageRecord } from './packageRecord';

import type { IBuildReading } from './buildReading';
import { localPart } from './buildReading';
import type { ICudaSignal } from './cudaSignals';
import { ENCODING_SOURCES } from './data/encodings';
import type { ISourced } from './data/sourced';

/*
 * A framework's build as one reader found it, with the evidence behind it:
 * the shape the conda and pip readers both return (condaBuild.ts,
 * pipBuild.ts) and cudaBuild.ts turns into an ICudaBuildInfo.
 */

export interface IReading extends IBuildReading {
  inferred: boolean;
  sourced: ISourced;
  packages: string[];
}

export function reading(
  base: IBuildReading,
  packages: string[],
  inferred = false,
  sourced: ISourced = ENCODING_SOURCES[base.encoding]
): IReading {
  return { ...base, inferred, sourced, packages };
}

export function fromSignal(
  s: ICudaSignal,
  packages: string[],
  detail?: string
): IReading {
  return {
    kind: s.kind,
    cuda: s.cuda,
    encoding: s.encoding,
    detail: detail ?? s.detail,
    inferred: s.inferred,
    sourced: s,
    packages: [...packages, s.package]
  };
}

export function signalOf(
  signals: readonly ICudaSignal[],
  name: string
): ICudaSignal | undefined {
  return signals.find(s => s.package.toLowerCase() === name);
}

export function unknown(record: PackageRecord, why: string): IReading {
  return {
    kind: 'unknown',
    cuda: null,
    encoding: 'no-cuda-signal',
    detail: `${record.name} ${record.version}: ${why}`,
    inferred: true,
    sourced: ENCODING_SOURCES['no-cuda-signal'],
    packages: [record.name]
  };
}

/**
 * A local version that is none of the known tags (an NGC container's
 * `2.6.0a0+ecf3bae40a.nv25.01`, a source build's `+git1234`): not a PyPI
 * wheel, so neither PyPI's defaults nor its wheels say what it was built
 * with. Null when the version has no local part.
 */
export function unrecognisedLocal(record: PackageRecord): IReading | null {
  const local = localPart(record.version);
  return local === null
    ? null
    : unknown(
        record,
        `the local version +${local} is not a known build tag (a custom or container build, not a PyPI wheel)`
      );
}

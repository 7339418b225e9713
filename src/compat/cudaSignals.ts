import type { PackageRecord, PackageSource } from './packageRecord';

import type { BuildKind } from './buildReading';
import type { ICudaVersion } from './cudaVersion';
import { parseCuda, parseCudaDigits } from './cudaVersion';
import type { Encoding } from './data/encodings';
import { ENCODING_SOURCES } from './data/encodings';
import { NVIDIA_WHEELS, ONNXRUNTIME_GPU_DEFAULTS } from './data/gpuWheels';
import type { ISourced } from './data/sourced';
import { compareVersions, versionParts } from './version';

/*
 * Environment-wide CUDA signals: packages that are not a framework's own
 * build but pin a CUDA (pytorch-cuda, cudatoolkit, cuda-version, NVIDIA's
 * CUDA wheels, CuPy and JAX plugin wheels, onnxruntime-gpu). Frameworks
 * borrow them when their own record is silent, and two majors among them
 * is a verdict.
 */

/**
 * One package that says which CUDA (or that it is CPU-only).
 */
export interface ICudaSignal extends ISourced {
  package: string;
  source: PackageSource;
  kind: BuildKind;
  cuda: ICudaVersion | null;
  encoding: Encoding;
  detail: string;
  /** Read from a default table, not from the package: never enough to call two majors mixed. */
  inferred: boolean;
}

function signal(
  record: PackageRecord,
  encoding: Encoding,
  kind: BuildKind,
  cuda: ICudaVersion | null,
  detail: string,
  inferred = false,
  sourced: ISourced = ENCODING_SOURCES[encoding]
): ICudaSignal {
  return {
    package: record.name,
    source: record.source,
    kind,
    cuda,
    encoding,
    detail,
    inferred,
    sources: sourced.sources,
    verified: sourced.verified
  };
}

function condaSignal(record: PackageRecord): ICudaSignal | null {
  const name = record.normalized_name;
  const at = `${record.name} ${record.version}`;
  switch (name) {
    case 'pytorch-cuda':
      return signal(
        record,
        'pytorch-cuda',
        'cuda',
        parseCuda(record.version),
        at
      );
    case 'cudatoolkit':
      return signal(
        record,
        'cudatoolkit',
        'cuda',
        parseCuda(record.version),
        at
      );
    case 'cuda-version':
      return signal(
        record,
        'cuda-version',
        'cuda',
        parseCuda(record.version),
        at
      );
    case 'pytorch-mutex':
      if (record.build === 'cuda' || record.build === 'cpu') {
        return signal(
          record,
          'pytorch-mutex',
          record.build,
          null,
          `${at} ${record.build}`
        );
      }
      return null;
    case 'cpuonly':
      return signal(record, 'pytorch-mutex', 'cpu', null, at);
    default:
      return null;
  }
}

/**
 * `nvidia-cublas-cu12` → 12.x; `nvidia-cuda-runtime-cu12 12.6.77` → 12.6;
 * suffix-less `nvidia-cuda-runtime 13.0.48` → 13.0, `nvidia-cublas 13.1.0.3` → 13.x.
 */
function nvidiaWheelCuda(record: PackageRecord): ICudaVersion | null {
  const name = record.normalized_name;
  const parts = versionParts(record.version);
  const suffixed = /^nvidia-(.+)-cu(\d+)$/.exec(name);
  if (suffixed) {
    const major = Number(suffixed[2]);
    const runtime = `nvidia-${suffixed[1]}` === NVIDIA_WHEELS.runtime;
    const minor =
      runtime && parts[0] === major && parts.length > 1 ? parts[1] : null;
    return { major, minor };
  }
  // Before CUDA 13 the suffix-less names were placeholders, not libraries.
  if (NVIDIA_WHEELS.suffixless.includes(name) && (parts[0] ?? 0) >= 13) {
    const runtime = name === NVIDIA_WHEELS.runtime;
    return {
      major: parts[0],
      minor: runtime && parts.length > 1 ? parts[1] : null
    };
  }
  return null;
}

function pipSignal(record: PackageRecord): ICudaSignal | null {
  const name = record.normalized_name;
  const at = `${record.name} ${record.version}`;
  const nvidia = nvidiaWheelCuda(record);
  if (nvidia) {
    return signal(record, 'nvidia-wheels', 'cuda', nvidia, at);
  }
  const cupyMajor = /^cupy-cuda(\d+)x$/.exec(name);
  if (cupyMajor) {
    const cuda = { major: Number(cupyMajor[1]), minor: null };
    return signal(record, 'cupy-wheel', 'cuda', cuda, at);
  }
  const cupyMinor = /^cupy-cuda(\d{2,3})$/.exec(name);
  if (cupyMinor) {
    return signal(
      record,
      'cupy-wheel',
      'cuda',
      parseCudaDigits(cupyMinor[1]),
      at
    );
  }
  const jax = /^jax-cuda(\d+)-(?:plugin|pjrt)$/.exec(name);
  if (jax) {
    const cuda = { major: Number(jax[1]), minor: null };
    return signal(record, 'jax-plugin', 'cuda', cuda, at);
  }
  if (name === 'onnxruntime-gpu') {
    const row = [...ONNXRUNTIME_GPU_DEFAULTS]
      .reverse()
      .find(r => compareVersions(record.version, r.since) >= 0);
    if (row) {
      return signal(
        record,
        'onnxruntime-gpu',
        'cuda',
        parseCuda(row.cuda),
        at,
        true,
        row
      );
    }
  }
  return null;
}

/**
 * Every CUDA signal in the environment, in record order.
 */
export function collectSignals(
  records: readonly PackageRecord[]
): ICudaSignal[] {
  const signals: ICudaSignal[] = [];
  for (const record of records) {
    const found =
      record.source === 'conda' ? condaSignal(record) : pipSignal(record);
    if (found) {
      signals.push(found);
    }
  }
  return signals;
}

/**
 * The CUDA that NVIDIA's wheels in the environment stand for: the runtime
 * wheel's version when there is one, else the major most wheels carry.
 */
export function nvidiaWheelsCuda(
  signals: readonly ICudaSignal[]
): ICudaSignal | null {
  const wheels = signals.filter(s => s.encoding === 'nvidia-wheels' && s.cuda);
  if (wheels.length === 0) {
    return null;
  }
  const withMinor = wheels.find(s => s.cuda?.minor !== null);
  if (withMinor) {
    return withMinor;
  }
  const counts = new Map<number, number>();
  for (const s of wheels) {
    const major = s.cuda?.major ?? 0;
    counts.set(major, (counts.get(major) ?? 0) + 1);
  }
  const [top] = [...counts.entries()].sort(
    (a, b) => b[1] - a[1] || b[0] - a[0]
  );
  return wheels.find(s => s.cuda?.major === top[0]) ?? null;
}

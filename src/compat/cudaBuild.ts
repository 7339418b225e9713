import type { PackageRecord } from './packageRecord';

import type { BuildKind, IBuildReading } from './buildReading';
import { localPart, readCondaBuild, readLocalVersion } from './buildReading';
import type { ICudaSignal } from './cudaSignals';
import { nvidiaWheelsCuda } from './cudaSignals';
import type { ICudaVersion } from './cudaVersion';
import { cudaKey, parseCuda } from './cudaVersion';
import type { Encoding } from './data/encodings';
import { ENCODING_SOURCES } from './data/encodings';
import { PYPI_TORCH_DEFAULTS } from './data/pypiTorchDefaults';
import type { ISourced } from './data/sourced';
import { TENSORFLOW_RELEASES } from './data/tensorflowReleases';
import type { FrameworkKind, IFramework } from './frameworks';
import { dependency, findRecord } from './records';
import { compareVersions, inSeries } from './version';

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

interface IReading extends IBuildReading {
  inferred: boolean;
  sourced: ISourced;
  packages: string[];
}

function reading(
  base: IBuildReading,
  packages: string[],
  inferred = false,
  sourced: ISourced = ENCODING_SOURCES[base.encoding]
): IReading {
  return { ...base, inferred, sourced, packages };
}

function fromSignal(
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

function signalOf(
  signals: readonly ICudaSignal[],
  name: string
): ICudaSignal | undefined {
  return signals.find(s => s.package.toLowerCase() === name);
}

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
function fromCondaRecord(
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

/**
 * NVIDIA's wheels, when present, say what CUDA pip-installed frameworks
 * load (PyPI torch and tensorflow[and-cuda] depend on them).
 */
function fromNvidiaWheels(
  signals: readonly ICudaSignal[],
  own: string[],
  detail: (wheels: string) => string
): IReading | null {
  const wheels = nvidiaWheelsCuda(signals);
  return wheels ? fromSignal(wheels, own, detail(wheels.detail)) : null;
}

function isLinux64(subdir: string): boolean {
  return subdir === 'linux-64';
}

function isWindowsOrMac(subdir: string): boolean {
  return subdir.startsWith('win-') || subdir.startsWith('osx-');
}

function pipTorch(
  record: PackageRecord,
  signals: readonly ICudaSignal[],
  subdir: string
): IReading {
  const own = [record.name];
  const local = readLocalVersion(record.version);
  if (local) {
    return reading(local, own);
  }
  const unrecognised = unrecognisedLocal(record);
  if (unrecognised) {
    return unrecognised;
  }
  const wheels = fromNvidiaWheels(
    signals,
    own,
    w => `plain PyPI torch with ${w}`
  );
  if (wheels) {
    return wheels;
  }
  if (isWindowsOrMac(subdir)) {
    return reading(
      {
        kind: 'cpu',
        cuda: null,
        encoding: 'platform-default',
        detail: `PyPI torch wheels for ${subdir} are CPU-only`
      },
      own,
      true
    );
  }
  const row = PYPI_TORCH_DEFAULTS.find(r =>
    inSeries(record.version, r.first, r.last)
  );
  if (isLinux64(subdir) && row) {
    const detail = `plain PyPI torch ${record.version}: PyPI's default for this release is CUDA ${row.cuda}`;
    return reading(
      {
        kind: 'cuda',
        cuda: parseCuda(row.cuda),
        encoding: 'pypi-default',
        detail
      },
      own,
      true,
      row
    );
  }
  return unknown(
    record,
    `no local version and no NVIDIA wheels; no default known for ${subdir}`
  );
}

function unknown(record: PackageRecord, why: string): IReading {
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
function unrecognisedLocal(record: PackageRecord): IReading | null {
  const local = localPart(record.version);
  return local === null
    ? null
    : unknown(
        record,
        `the local version +${local} is not a known build tag (a custom or container build, not a PyPI wheel)`
      );
}

function pipTensorflow(
  record: PackageRecord,
  signals: readonly ICudaSignal[],
  subdir: string
): IReading {
  const own = [record.name];
  const unrecognised = unrecognisedLocal(record);
  if (unrecognised) {
    return unrecognised;
  }
  if (record.normalized_name === 'tensorflow-cpu') {
    return reading(
      {
        kind: 'cpu',
        cuda: null,
        encoding: 'platform-default',
        detail: 'the tensorflow-cpu package'
      },
      own
    );
  }
  const wheels = fromNvidiaWheels(
    signals,
    own,
    w => `tensorflow[and-cuda] wheels: ${w}`
  );
  if (wheels) {
    return wheels;
  }
  const row = TENSORFLOW_RELEASES.find(r =>
    inSeries(record.version, r.first, r.last)
  );
  // Native Windows GPU support ended with 2.10; macOS never had it (TF2).
  const cpuOnly =
    subdir.startsWith('osx-') ||
    (subdir.startsWith('win-') && compareVersions(record.version, '2.11') >= 0);
  if (cpuOnly) {
    return reading(
      {
        kind: 'cpu',
        cuda: null,
        encoding: 'platform-default',
        detail: `TensorFlow wheels for ${subdir} are CPU-only`
      },
      own,
      true
    );
  }
  if (row) {
    const detail = `${record.name} ${record.version} was built and tested with CUDA ${row.cuda}; it loads CUDA libraries from the system or from tensorflow[and-cuda]`;
    return reading(
      {
        kind: 'cuda',
        cuda: parseCuda(row.cuda),
        encoding: 'tensorflow-tested-build',
        detail
      },
      own,
      true,
      row
    );
  }
  return unknown(
    record,
    'no CUDA wheels and no tested build configuration known'
  );
}

function pipJax(
  records: readonly PackageRecord[],
  signals: readonly ICudaSignal[]
): IReading | null {
  const plugin = signals.find(s => s.encoding === 'jax-plugin');
  if (plugin?.cuda) {
    // The plugin names the major; NVIDIA's runtime wheel of that major, when present, the minor.
    const wheels = nvidiaWheelsCuda(signals);
    const cuda: ICudaVersion =
      wheels?.cuda?.major === plugin.cuda.major && wheels.cuda.minor !== null
        ? wheels.cuda
        : plugin.cuda;
    const detail = wheels
      ? `${plugin.detail} with ${wheels.detail}`
      : plugin.detail;
    return { ...fromSignal(plugin, [], detail), cuda };
  }
  const jaxlib = findRecord(records, 'jaxlib', 'pypi');
  if (!jaxlib || jaxlib.source !== 'pypi') {
    return null;
  }
  const local = readLocalVersion(jaxlib.version);
  if (local) {
    return reading(local, [jaxlib.name]);
  }
  const unrecognised = unrecognisedLocal(jaxlib);
  if (unrecognised) {
    return unrecognised;
  }
  return reading(
    {
      kind: 'cpu',
      cuda: null,
      encoding: 'jax-plugin',
      detail: `${jaxlib.name} ${jaxlib.version} without a jax-cuda plugin runs on the CPU only`
    },
    [jaxlib.name]
  );
}

function withRuntimeMinor(
  base: IReading,
  signals: readonly ICudaSignal[]
): IReading {
  const wheels = nvidiaWheelsCuda(signals);
  if (
    base.cuda &&
    base.cuda.minor === null &&
    wheels?.cuda?.major === base.cuda.major &&
    wheels.cuda.minor !== null
  ) {
    return {
      ...base,
      cuda: wheels.cuda,
      detail: `${base.detail} with ${wheels.detail}`
    };
  }
  return base;
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

import type { PackageRecord } from './packageRecord';

import type { IReading } from './buildEvidence';
import {
  fromSignal,
  reading,
  unknown,
  unrecognisedLocal
} from './buildEvidence';
import { readLocalVersion } from './buildReading';
import type { ICudaSignal } from './cudaSignals';
import { nvidiaWheelsCuda } from './cudaSignals';
import type { ICudaVersion } from './cudaVersion';
import { parseCuda } from './cudaVersion';
import type { Encoding } from './data/encodings';
import { PYPI_TORCH_DEFAULTS } from './data/pypiTorchDefaults';
import type { ISourced } from './data/sourced';
import { TENSORFLOW_RELEASES } from './data/tensorflowReleases';
import { findRecord } from './records';
import { compareVersions, inSeries } from './version';

/*
 * The build of a framework pip installed: its local version, the NVIDIA
 * wheels next to it, or, failing those, what PyPI ships for the release and
 * platform.
 */

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

/**
 * A CUDA build known only from a table row (PyPI's default for a torch
 * release, TensorFlow's tested build configuration), not from the package
 * itself: inferred, and sourced by that row.
 */
function fromTableRow(
  row: ISourced & { cuda: string },
  encoding: Encoding,
  detail: string,
  packages: string[]
): IReading {
  return reading(
    { kind: 'cuda', cuda: parseCuda(row.cuda), encoding, detail },
    packages,
    true,
    row
  );
}

/**
 * The platform's wheels are CPU-only: inferred from the platform, not read
 * from the package.
 */
function cpuOnlyPlatform(detail: string, packages: string[]): IReading {
  return reading(
    { kind: 'cpu', cuda: null, encoding: 'platform-default', detail },
    packages,
    true
  );
}

function isLinux64(subdir: string): boolean {
  return subdir === 'linux-64';
}

function isWindowsOrMac(subdir: string): boolean {
  return subdir.startsWith('win-') || subdir.startsWith('osx-');
}

export function pipTorch(
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
    return cpuOnlyPlatform(`PyPI torch wheels for ${subdir} are CPU-only`, own);
  }
  const row = PYPI_TORCH_DEFAULTS.find(r =>
    inSeries(record.version, r.first, r.last)
  );
  if (isLinux64(subdir) && row) {
    const detail = `plain PyPI torch ${record.version}: PyPI's default for this release is CUDA ${row.cuda}`;
    return fromTableRow(row, 'pypi-default', detail, own);
  }
  return unknown(
    record,
    `no local version and no NVIDIA wheels; no default known for ${subdir}`
  );
}

export function pipTensorflow(
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
    return cpuOnlyPlatform(`TensorFlow wheels for ${subdir} are CPU-only`, own);
  }
  if (row) {
    const detail = `${record.name} ${record.version} was built and tested with CUDA ${row.cuda}; it loads CUDA libraries from the system or from tensorflow[and-cuda]`;
    return fromTableRow(row, 'tensorflow-tested-build', detail, own);
  }
  return unknown(
    record,
    'no CUDA wheels and no tested build configuration known'
  );
}

export function pipJax(
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

/**
 * A wheel that names only its CUDA major (`cupy-cuda12x`, onnxruntime-gpu)
 * gets the minor from NVIDIA's runtime wheel of that major, when present.
 */
export function withRuntimeMinor(
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

import type { PackageRecord } from '../api';

import type { ICudaVersion } from './cudaVersion';
import { compareCuda, formatCuda, parseCuda } from './cudaVersion';
import {
  PYTORCH_CUDA_METAPACKAGE,
  PYTORCH_RELEASES
} from './data/pytorchReleases';
import { TENSORFLOW_RELEASES } from './data/tensorflowReleases';
import { gaDriverFor, minimumDriverFor } from './driver';
import type { FrameworkKind, IFramework } from './frameworks';
import { findRecord } from './records';
import { compareVersions, inSeries, majorMinor } from './version';

/*
 * Fixes as commands to copy. The extension never runs them; each is the
 * smallest change that resolves the verdict, for the installer that put the
 * package there (pip or conda, and the conda channel it came from).
 */

const TORCH_INDEX = 'https://download.pytorch.org/whl';
const TORCH_COMPANIONS = ['torchvision', 'torchaudio'];

/**
 * "2.1.0+cu118" → "2.1.0": pins name public versions, since the local part
 * is what changes between builds.
 */
function publicVersion(version: string): string {
  return version.split('+')[0];
}

function channelIs(record: PackageRecord, name: string): boolean {
  return (
    record.channel === name ||
    record.channel.replace(/\/+$/, '').endsWith(`/${name}`)
  );
}

/**
 * The channel to name in `conda install -c`: `defaults` for Anaconda's `pkgs/*`.
 */
export function condaChannel(record: PackageRecord): string {
  if (/(^|\/)pkgs\/\w+\/?$/.test(record.channel)) {
    return 'defaults';
  }
  const trimmed = record.channel.replace(/\/+$/, '');
  return trimmed.includes('://')
    ? (trimmed.split('/').pop() ?? trimmed)
    : trimmed;
}

/**
 * torchvision/torchaudio installed the same way as torch: they must move with it.
 */
function torchCompanions(
  records: readonly PackageRecord[],
  source: PackageRecord['source']
): PackageRecord[] {
  return TORCH_COMPANIONS.map(name => findRecord(records, name, source)).filter(
    (r): r is PackageRecord => r !== undefined && r.source === source
  );
}

/**
 * "cu118" for CUDA 11.8.
 */
function cuTag(cuda: ICudaVersion): string {
  return `cu${cuda.major}${cuda.minor ?? 0}`;
}

/**
 * The newest CUDA among `candidates` that is at most `max`.
 */
function newestUpTo(
  candidates: readonly string[],
  max: ICudaVersion
): ICudaVersion | null {
  let best: ICudaVersion | null = null;
  for (const text of candidates) {
    const cuda = parseCuda(text);
    if (
      cuda &&
      compareCuda(cuda, max) <= 0 &&
      (!best || compareCuda(cuda, best) > 0)
    ) {
      best = cuda;
    }
  }
  return best;
}

function torchCudaBuilds(version: string): string[] {
  const row = PYTORCH_RELEASES.find(r => inSeries(version, r.first, r.last));
  return row ? [...row.cuda, ...row.experimentalCuda] : [];
}

function pytorchChannelCuda(
  framework: IFramework,
  max: ICudaVersion,
  records: readonly PackageRecord[]
): string | null {
  const version = publicVersion(framework.version);
  const legacy = compareVersions(version, '1.13') < 0;
  const candidates = torchCudaBuilds(version).filter(
    c => legacy || PYTORCH_CUDA_METAPACKAGE.versions.includes(c)
  );
  const cuda = newestUpTo(candidates, max);
  if (!cuda) {
    return null;
  }
  const pins = [framework.record, ...torchCompanions(records, 'conda')].map(
    r => `${r.name}=${publicVersion(r.version)}`
  );
  // ≤ 1.12 took CUDA from the monolithic cudatoolkit; later releases from pytorch-cuda.
  const cudaPin = legacy
    ? `cudatoolkit=${formatCuda(cuda)}`
    : `pytorch-cuda=${formatCuda(cuda)}`;
  const channels = legacy ? '-c pytorch' : '-c pytorch -c nvidia';
  return `conda install ${pins.join(' ')} ${cudaPin} ${channels}`;
}

function pipTorchCuda(
  framework: IFramework,
  max: ICudaVersion,
  records: readonly PackageRecord[]
): string | null {
  const cuda = newestUpTo(
    torchCudaBuilds(publicVersion(framework.version)),
    max
  );
  return cuda ? pipTorchFrom(framework, records, cuTag(cuda)) : null;
}

function pipTorchFrom(
  framework: IFramework,
  records: readonly PackageRecord[],
  index: string
): string {
  const pins = [framework.record, ...torchCompanions(records, 'pypi')].map(
    r => `${r.name}==${publicVersion(r.version)}`
  );
  return `pip install ${pins.join(' ')} --index-url ${TORCH_INDEX}/${index}`;
}

function pipTensorflowCuda(
  max: ICudaVersion,
  python: string | null
): string | null {
  const py = python ? majorMinor(python) : null;
  const fits = TENSORFLOW_RELEASES.filter(row => {
    const cuda = parseCuda(row.cuda);
    const pythonOk =
      !py ||
      (compareVersions(py, row.python.min) >= 0 &&
        compareVersions(py, row.python.max) <= 0);
    return cuda !== null && compareCuda(cuda, max) <= 0 && pythonOk;
  });
  const row = fits[fits.length - 1];
  if (!row) {
    return null;
  }
  // The and-cuda extra brings CUDA 12 as NVIDIA wheels (TF3); older releases need system CUDA.
  const extra = (parseCuda(row.cuda)?.major ?? 0) >= 12 ? '[and-cuda]' : '';
  return `pip install "tensorflow${extra}==${row.last}.*"`;
}

function condaForgeCuda(
  framework: IFramework,
  records: readonly PackageRecord[],
  max: ICudaVersion
): string {
  const cap = `"cuda-version<=${formatCuda(max)}"`;
  if (framework.kind === 'cupy') {
    return `conda install -c conda-forge cupy ${cap}`;
  }
  const record =
    framework.kind === 'jax'
      ? (findRecord(records, 'jaxlib') ?? framework.record)
      : framework.record;
  return `conda install -c conda-forge "${record.name}=${publicVersion(record.version)}=cuda*" ${cap}`;
}

function pipSwap(from: string, to: string): string {
  return `pip uninstall -y ${from} && pip install ${to}`;
}

/**
 * A command installing a build of the framework for CUDA ≤ `max`; null when
 * no such build is known.
 */
export function cudaBuildCommand(
  framework: IFramework,
  max: ICudaVersion,
  records: readonly PackageRecord[],
  python: string | null
): string | null {
  const record = framework.record;
  if (record.source === 'conda') {
    if (framework.kind === 'pytorch' && channelIs(record, 'pytorch')) {
      return pytorchChannelCuda(framework, max, records);
    }
    return channelIs(record, 'conda-forge')
      ? condaForgeCuda(framework, records, max)
      : null;
  }
  switch (framework.kind) {
    case 'pytorch':
      return pipTorchCuda(framework, max, records);
    case 'tensorflow':
      return pipTensorflowCuda(max, python);
    case 'jax':
      return max.major >= 12
        ? `pip install -U "jax[cuda${Math.min(max.major, 13)}]"`
        : null;
    case 'cupy': {
      if (max.major === 11 && (max.minor ?? 0) < 2) {
        return null;
      }
      const target = `cupy-cuda${Math.min(max.major, 13)}x`;
      return max.major >= 11 && target !== record.name
        ? pipSwap(record.name, target)
        : null;
    }
    case 'onnxruntime':
      // 1.19 made CUDA 12 the PyPI default (ORT); earlier releases were CUDA 11.8 builds.
      return max.major === 11 ? 'pip install "onnxruntime-gpu<1.19"' : null;
    default:
      return null;
  }
}

/**
 * A command replacing the framework's CUDA build with a CPU-only one; null
 * where there is no simple one.
 */
export function cpuBuildCommand(
  framework: IFramework,
  records: readonly PackageRecord[]
): string | null {
  const record = framework.record;
  const version = publicVersion(framework.version);
  if (framework.kind === 'pytorch') {
    if (record.source === 'pypi') {
      return pipTorchFrom(framework, records, 'cpu');
    }
    if (channelIs(record, 'pytorch')) {
      const pins = [record, ...torchCompanions(records, 'conda')].map(
        r => `${r.name}=${publicVersion(r.version)}`
      );
      return `conda install ${pins.join(' ')} cpuonly -c pytorch`;
    }
    if (channelIs(record, 'conda-forge')) {
      return `conda install -c conda-forge "pytorch=${version}=cpu*"`;
    }
    return null;
  }
  if (framework.kind === 'jax' && record.source === 'pypi') {
    const plugins = records
      .filter(
        r =>
          r.source === 'pypi' &&
          /^jax-cuda\d+-(plugin|pjrt)$/.test(r.normalized_name)
      )
      .map(r => r.name);
    return plugins.length > 0 ? `pip uninstall -y ${plugins.join(' ')}` : null;
  }
  if (framework.kind === 'tensorflow' && record.source === 'pypi') {
    return pipSwap(record.name, `tensorflow-cpu==${version}`);
  }
  return null;
}

/**
 * The driver update that runs a build for `cuda`.
 */
export function driverUpdateStep(cuda: ICudaVersion): string {
  const floor = minimumDriverFor(cuda);
  const ga = gaDriverFor(cuda)?.gaDriver;
  if (cuda.minor === null || !ga) {
    return floor
      ? `Update the NVIDIA driver to ≥ ${floor} (any CUDA ${cuda.major}.x build)`
      : `Update the NVIDIA driver to one that supports CUDA ${formatCuda(cuda)}`;
  }
  if (floor && floor !== ga) {
    return `Update the NVIDIA driver to ≥ ${ga} to run CUDA ${formatCuda(cuda)} in full (≥ ${floor} runs it through minor-version compatibility)`;
  }
  return `Update the NVIDIA driver to ≥ ${ga}`;
}

/**
 * A command that installs `name` at a version satisfying `spec`
 * (e.g. ">=2.4", "<2.5") with the installer the framework came from.
 */
export function releaseCommand(framework: IFramework, spec: string): string {
  const record = framework.record;
  if (record.source === 'pypi') {
    return `pip install "${record.name}${spec}"`;
  }
  // The pytorch channel stopped at 2.5 (B2): later releases come from conda-forge.
  const frozen =
    framework.kind === 'pytorch' &&
    channelIs(record, 'pytorch') &&
    /^>=?/.test(spec) &&
    compareVersions(
      spec.replace(/^[<>=]+/, ''),
      PYTORCH_CUDA_METAPACKAGE.lastPytorch
    ) > 0;
  const channel = frozen ? 'conda-forge' : condaChannel(record);
  return `conda install -c ${channel} "${record.name}${spec}"`;
}

const PROBES: Readonly<Record<FrameworkKind, string>> = {
  pytorch:
    'python -c "import torch; print(torch.version.cuda, torch.cuda.is_available())"',
  tensorflow:
    "python -c \"import tensorflow as tf; print(tf.sysconfig.get_build_info().get('cuda_version'), tf.config.list_physical_devices('GPU'))\"",
  jax: 'python -c "import jax; print(jax.devices())"',
  transformers:
    'python -c "import transformers; print(transformers.__version__)"',
  cupy: 'python -c "import cupy; cupy.show_config()"',
  onnxruntime:
    'python -c "import onnxruntime as ort; print(ort.get_available_providers())"'
};

/**
 * A command that asks the framework itself, in the activated environment.
 */
export function probeCommand(kind: FrameworkKind): string {
  return PROBES[kind];
}

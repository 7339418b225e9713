import type { PackageRecord } from '../../api';

import type { CommandTarget } from '../commands';
import {
  isSafeChannel,
  isSafeName,
  isSafeVersion,
  shellArg
} from '../commands';
import type { ICudaVersion } from '../cudaVersion';
import { compareCuda, formatCuda, parseCuda } from '../cudaVersion';
import {
  PYTORCH_CUDA_METAPACKAGE,
  PYTORCH_RELEASES
} from '../data/pytorchReleases';
import { TENSORFLOW_RELEASES } from '../data/tensorflowReleases';
import type { DriverPlatform } from '../driver';
import { gaDriverFor, minimumDriverFor } from '../driver';
import type { FrameworkKind, IFramework } from '../frameworks';
import { findRecord } from '../records';
import { compareVersions, inSeries, majorMinor } from '../version';

/*
 * Fixes as commands to copy. The extension never runs them; each is the
 * smallest change that resolves the verdict, for the installer that put the
 * package there (pip or conda, and the conda channel it came from), written
 * for the environment being judged (see commands.ts). A command that would
 * need a record value outside the safe charsets is not offered (null).
 */

/**
 * What a fix needs to know about the environment.
 */
export interface IFixContext {
  records: readonly PackageRecord[];
  /** The conda `python` version, or null. */
  python: string | null;
  /** Writes commands for this environment. */
  commands: CommandTarget;
  /** This machine's conda subdir, e.g. `linux-64`. */
  subdir: string;
}

const TORCH_INDEX = 'https://download.pytorch.org/whl';
const TORCH_COMPANIONS = ['torchvision', 'torchaudio'];

/**
 * "2.1.0+cu118" → "2.1.0": pins name public versions, since the local part
 * is what changes between builds.
 */
function publicVersion(version: string): string {
  return version.split('+')[0];
}

export function channelIs(record: PackageRecord, name: string): boolean {
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
 * The values of `items`, or null when any is null: one unsafe value and the
 * whole command is left out.
 */
function all(items: readonly (string | null)[]): string[] | null {
  const kept: string[] = [];
  for (const item of items) {
    if (item === null) {
      return null;
    }
    kept.push(item);
  }
  return kept;
}

/**
 * `name=version[=build]` for conda, when both are safe in a command.
 */
function condaPin(record: PackageRecord, build?: string): string | null {
  const version = publicVersion(record.version);
  if (!isSafeName(record.name) || !isSafeVersion(version)) {
    return null;
  }
  return shellArg(
    build ? `${record.name}=${version}=${build}` : `${record.name}=${version}`
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
  context: IFixContext
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
  // The build glob makes conda replace a CPU build of the same version, which `pytorch=X` alone would keep.
  const pins = all([
    condaPin(framework.record, '*cuda*'),
    ...torchCompanions(context.records, 'conda').map(r => condaPin(r))
  ]);
  if (!pins) {
    return null;
  }
  // ≤ 1.12 took CUDA from the monolithic cudatoolkit; later releases from pytorch-cuda.
  const cudaPin = legacy
    ? `cudatoolkit=${formatCuda(cuda)}`
    : `pytorch-cuda=${formatCuda(cuda)}`;
  const channels = legacy
    ? ['-c', 'pytorch']
    : ['-c', 'pytorch', '-c', 'nvidia'];
  const install = context.commands.conda('install', [
    ...pins,
    cudaPin,
    ...channels
  ]);
  // `cpuonly` holds the CPU variant of pytorch-mutex: while installed, conda keeps the CPU build (B1).
  const cpuonly = context.records.some(
    r => r.source === 'conda' && r.normalized_name === 'cpuonly'
  );
  return cpuonly
    ? `${context.commands.conda('remove', ['cpuonly'])} && ${install}`
    : install;
}

function pipTorchCuda(
  framework: IFramework,
  max: ICudaVersion,
  context: IFixContext
): string | null {
  const cuda = newestUpTo(
    torchCudaBuilds(publicVersion(framework.version)),
    max
  );
  return cuda ? pipTorchFrom(framework, context, cuTag(cuda)) : null;
}

/**
 * torch and its companions from one download.pytorch.org index, each pinned
 * with the index's local version (`torch==2.4.0+cu118`): a bare
 * `torch==2.4.0` is already satisfied by the installed `2.4.0+cu121`, and
 * pip would change nothing.
 */
function pipTorchFrom(
  framework: IFramework,
  context: IFixContext,
  index: string
): string | null {
  const pins = all(
    [framework.record, ...torchCompanions(context.records, 'pypi')].map(r => {
      const version = publicVersion(r.version);
      return isSafeName(r.name) && isSafeVersion(version)
        ? `${r.name}==${version}+${index}`
        : null;
    })
  );
  return pins
    ? context.commands.pip([
        'install',
        ...pins,
        '--index-url',
        `${TORCH_INDEX}/${index}`
      ])
    : null;
}

/**
 * The newest TensorFlow for this Python whose CUDA the driver runs: in
 * full, or, where the driver is at least the floor of its major
 * (`sameMajorRuns`), any release of that major — TensorFlow's docs ask only
 * for a driver ≥ 525.60.13 for its CUDA 12 releases (TF2).
 */
function pipTensorflowCuda(
  max: ICudaVersion,
  context: IFixContext,
  sameMajorRuns: boolean
): string | null {
  const python = context.python;
  const py = python ? majorMinor(python) : null;
  const fits = TENSORFLOW_RELEASES.filter(row => {
    const cuda = parseCuda(row.cuda);
    const pythonOk =
      !py ||
      (compareVersions(py, row.python.min) >= 0 &&
        compareVersions(py, row.python.max) <= 0);
    const runs =
      cuda !== null &&
      (compareCuda(cuda, max) <= 0 ||
        (sameMajorRuns && cuda.major === max.major));
    return runs && pythonOk;
  });
  const row = fits[fits.length - 1];
  if (!row) {
    return null;
  }
  // The and-cuda extra brings CUDA 12 as NVIDIA wheels (TF3); older releases need system CUDA.
  const extra = (parseCuda(row.cuda)?.major ?? 0) >= 12 ? '[and-cuda]' : '';
  return context.commands.pip([
    'install',
    shellArg(`tensorflow${extra}==${row.last}.*`)
  ]);
}

function condaForgeCuda(
  framework: IFramework,
  context: IFixContext,
  max: ICudaVersion
): string | null {
  const cap = shellArg(`cuda-version<=${formatCuda(max)}`);
  if (framework.kind === 'cupy') {
    return context.commands.conda('install', [
      '-c',
      'conda-forge',
      'cupy',
      cap
    ]);
  }
  const record =
    framework.kind === 'jax'
      ? (findRecord(context.records, 'jaxlib') ?? framework.record)
      : framework.record;
  const pin = condaPin(record, 'cuda*');
  return pin
    ? context.commands.conda('install', ['-c', 'conda-forge', pin, cap])
    : null;
}

function pipSwap(
  from: string,
  to: string,
  context: IFixContext
): string | null {
  if (!isSafeName(from)) {
    return null;
  }
  return `${context.commands.pip(['uninstall', '-y', from])} && ${context.commands.pip(['install', shellArg(to)])}`;
}

/**
 * A command installing a build of the framework for CUDA ≤ `max`; null when
 * no such build is known. `sameMajorRuns`: the driver is at least the
 * minor-version floor of `max`'s major.
 */
export function cudaBuildCommand(
  framework: IFramework,
  max: ICudaVersion,
  context: IFixContext,
  sameMajorRuns = false
): string | null {
  const record = framework.record;
  if (record.source === 'conda') {
    if (framework.kind === 'pytorch' && channelIs(record, 'pytorch')) {
      return pytorchChannelCuda(framework, max, context);
    }
    return channelIs(record, 'conda-forge')
      ? condaForgeCuda(framework, context, max)
      : null;
  }
  switch (framework.kind) {
    case 'pytorch':
      return pipTorchCuda(framework, max, context);
    case 'tensorflow':
      return pipTensorflowCuda(max, context, sameMajorRuns);
    case 'jax':
      return max.major >= 12
        ? context.commands.pip([
            'install',
            '-U',
            shellArg(`jax[cuda${Math.min(max.major, 13)}]`)
          ])
        : null;
    case 'cupy': {
      if (max.major === 11 && (max.minor ?? 0) < 2) {
        return null;
      }
      const target = `cupy-cuda${Math.min(max.major, 13)}x`;
      return max.major >= 11 && target !== record.name
        ? pipSwap(record.name, target, context)
        : null;
    }
    case 'onnxruntime':
      // 1.19 made CUDA 12 the PyPI default (ORT); earlier releases were CUDA 11.8 builds.
      return max.major === 11
        ? context.commands.pip(['install', shellArg('onnxruntime-gpu<1.19')])
        : null;
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
  context: IFixContext
): string | null {
  const record = framework.record;
  const version = publicVersion(framework.version);
  if (framework.kind === 'pytorch') {
    if (record.source === 'pypi') {
      // macOS wheels have no `+cpu` variant: they are CPU builds already.
      return context.subdir.startsWith('osx-')
        ? null
        : pipTorchFrom(framework, context, 'cpu');
    }
    if (channelIs(record, 'pytorch')) {
      const pins = all(
        [record, ...torchCompanions(context.records, 'conda')].map(r =>
          condaPin(r)
        )
      );
      return pins
        ? context.commands.conda('install', [
            ...pins,
            'cpuonly',
            '-c',
            'pytorch'
          ])
        : null;
    }
    if (channelIs(record, 'conda-forge')) {
      const pin = condaPin(record, 'cpu*');
      return pin
        ? context.commands.conda('install', ['-c', 'conda-forge', pin])
        : null;
    }
    return null;
  }
  if (framework.kind === 'jax' && record.source === 'pypi') {
    const plugins = context.records
      .filter(
        r =>
          r.source === 'pypi' &&
          /^jax-cuda\d+-(plugin|pjrt)$/.test(r.normalized_name)
      )
      .map(r => r.name);
    return plugins.length > 0 && plugins.every(isSafeName)
      ? context.commands.pip(['uninstall', '-y', ...plugins])
      : null;
  }
  if (framework.kind === 'tensorflow' && record.source === 'pypi') {
    return isSafeVersion(version)
      ? pipSwap(record.name, `tensorflow-cpu==${version}`, context)
      : null;
  }
  return null;
}

/**
 * The driver update that runs a build for `cuda`.
 */
export function driverUpdateStep(
  cuda: ICudaVersion,
  platform: DriverPlatform = 'linux'
): string {
  const floor = minimumDriverFor(cuda, platform);
  const ga = gaDriverFor(cuda, platform)?.gaDriver;
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
 * (e.g. ">=2.4", "<2.5", from the data tables) with the installer the
 * framework came from; null when the record's name or channel is unsafe.
 */
export function releaseCommand(
  framework: IFramework,
  spec: string,
  context: IFixContext
): string | null {
  const record = framework.record;
  if (!isSafeName(record.name)) {
    return null;
  }
  if (record.source === 'pypi') {
    return context.commands.pip(['install', shellArg(`${record.name}${spec}`)]);
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
  if (!isSafeChannel(channel)) {
    return null;
  }
  return context.commands.conda('install', [
    '-c',
    channel,
    shellArg(`${record.name}${spec}`)
  ]);
}

const PROBES: Readonly<Record<FrameworkKind, string>> = {
  pytorch:
    '-c "import torch; print(torch.version.cuda, torch.cuda.is_available())"',
  tensorflow:
    "-c \"import tensorflow as tf; print(tf.sysconfig.get_build_info().get('cuda_version'), tf.config.list_physical_devices('GPU'))\"",
  jax: '-c "import jax; print(jax.devices())"',
  transformers: '-c "import transformers; print(transformers.__version__)"',
  cupy: '-c "import cupy; cupy.show_config()"',
  onnxruntime:
    '-c "import onnxruntime as ort; print(ort.get_available_providers())"'
};

/**
 * A command that asks the framework itself, with the environment's Python.
 */
export function probeCommand(
  kind: FrameworkKind,
  commands: CommandTarget
): string {
  return `${commands.python()} ${PROBES[kind]}`;
}

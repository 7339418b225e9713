import { isSafeName, isSafeVersion, shellArg } from '../commands';
import type { ICudaVersion } from '../cudaVersion';
import { compareCuda, formatCuda, parseCuda } from '../cudaVersion';
import { TENSORFLOW_RELEASES } from '../data/tensorflowReleases';
import type { IFramework } from '../frameworks';
import { findRecord } from '../records';
import { compareVersions, majorMinor } from '../version';
import type { IFixContext } from './installArgs';
import { channelIs, condaPin, pipSwap, publicVersion } from './installArgs';
import {
  pipTorchCuda,
  pytorchChannelCuda,
  torchCpuCommand
} from './torchCommands';

/*
 * Fixes as commands to copy. The extension never runs them; each is the
 * smallest change that resolves the verdict, for the installer that put the
 * package there (pip or conda, and the conda channel it came from), written
 * for the environment being judged (see commands.ts). A command that would
 * need a record value outside the safe charsets is not offered (null).
 */

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
    return torchCpuCommand(framework, context);
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

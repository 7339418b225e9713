import type { PackageRecord } from '../packageRecord';

import { isSafeName, isSafeVersion } from '../commands';
import type { ICudaVersion } from '../cudaVersion';
import { compareCuda, formatCuda, parseCuda } from '../cudaVersion';
import {
  PYTORCH_CUDA_METAPACKAGE,
  PYTORCH_RELEASES
} from '../data/pytorchReleases';
import type { IFramework } from '../frameworks';
import { findRecord } from '../records';
import { compareVersions, inSeries } from '../version';
import type { IFixContext } from './installArgs';
import { all, channelIs, condaPin, publicVersion } from './installArgs';

/*
 * PyTorch's builds for another CUDA, or for the CPU: from the pytorch
 * channel (with pytorch-cuda or cudatoolkit) or from a download.pytorch.org
 * index, with torchvision and torchaudio moved along.
 */

const TORCH_INDEX = 'https://download.pytorch.org/whl';
const TORCH_COMPANIONS = ['torchvision', 'torchaudio'];

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

export function pytorchChannelCuda(
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

export function pipTorchCuda(
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
 * A command replacing a CUDA build of PyTorch with a CPU-only one, from the
 * installer and channel it came from; null where there is no simple one.
 */
export function torchCpuCommand(
  framework: IFramework,
  context: IFixContext
): string | null {
  const record = framework.record;
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
      ? context.commands.conda('install', [...pins, 'cpuonly', '-c', 'pytorch'])
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

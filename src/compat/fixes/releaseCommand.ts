import { isSafeChannel, isSafeName, shellArg } from '../commands';
import { PYTORCH_CUDA_METAPACKAGE } from '../data/pytorchReleases';
import type { IFramework } from '../frameworks';
import { compareVersions } from '../version';
import type { IFixContext } from './installArgs';
import { channelIs, condaChannel } from './installArgs';

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

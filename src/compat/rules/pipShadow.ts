import { isSafeChannel, isSafeName, isSafeVersion } from '../commands';
import { condaChannel } from '../fixes/installArgs';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';

/*
 * A pip distribution installed over a conda package of the same (PyPI) name.
 * The server marks both sides' `conflicts`; the verdict is raised once, from
 * the pip side, since pip's copy is what Python imports.
 */

// Channels `conda install` finds without `-c`.
const DEFAULT_CHANNELS = new Set(['defaults']);

/**
 * "2.1.0+cu118" → "2.1.0": conda versions have no local part.
 */
function publicVersion(version: string): string {
  return version.split('+')[0];
}

/**
 * Back to conda's build (or conda's build of pip's version); null when a
 * value from the records is unsafe in a command.
 */
function shadowFix(
  context: IRuleContext,
  pipName: string,
  pipVersion: string,
  conflict: { name: string; version: string },
  from: string[]
): string | null {
  const wanted = publicVersion(pipVersion);
  if (
    !isSafeName(pipName) ||
    !isSafeName(conflict.name) ||
    !isSafeVersion(conflict.version) ||
    !isSafeVersion(wanted) ||
    // The full version appears in the fix's prose too.
    !isSafeVersion(pipVersion) ||
    !from.every(part => part === '-c' || isSafeChannel(part))
  ) {
    return null;
  }
  const uninstall = `\`${context.commands.pip(['uninstall', pipName])}\``;
  // pip's uninstall may also remove files conda's record lists, hence the forced reinstall.
  const reinstall = context.commands.conda('install', [
    '--force-reinstall',
    ...from,
    `${conflict.name}=${conflict.version}`
  ]);
  const same = context.commands.conda('install', [
    ...from,
    `${conflict.name}=${wanted}`
  ]);
  return `${uninstall}, then \`${reinstall}\` to return to conda's build; or, for version ${pipVersion} from conda (if the channel has it), ${uninstall}, then \`${same}\`.`;
}

/**
 * One verdict per pip distribution that shadows a conda package.
 */
export function pipShadowVerdicts(context: IRuleContext): IVerdict[] {
  const verdicts: IVerdict[] = [];
  for (const pip of context.records) {
    if (pip.source !== 'pypi') {
      continue;
    }
    for (const conflict of pip.conflicts.filter(c => c.source === 'conda')) {
      const conda = context.records.find(
        r =>
          r.source === 'conda' &&
          r.name === conflict.name &&
          r.version === conflict.version
      );
      const channel = conda ? condaChannel(conda) : 'defaults';
      const from = DEFAULT_CHANNELS.has(channel) ? [] : ['-c', channel];
      const fix = shadowFix(context, pip.name, pip.version, conflict, from);
      verdicts.push(
        verdict('pip-shadows-conda', {
          template:
            "pip installed {pip} {pipVersion} over conda's {conda} {condaVersion}: Python imports pip's copy, while conda still records {conda} {condaVersion} and may replace or break it on its next change.",
          params: {
            pip: pip.name,
            pipVersion: pip.version,
            conda: conflict.name,
            condaVersion: conflict.version
          },
          packages:
            pip.name === conflict.name ? [pip.name] : [pip.name, conflict.name],
          sourced: { sources: ['C3'], verified: true },
          fix
        })
      );
    }
  }
  return verdicts;
}

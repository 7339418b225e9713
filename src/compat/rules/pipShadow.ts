import { condaChannel } from '../fixes';
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
      const from = DEFAULT_CHANNELS.has(channel) ? '' : ` -c ${channel}`;
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
          // pip's uninstall may also remove files conda's record lists, hence the forced reinstall.
          fix: `\`pip uninstall ${pip.name}\`, then \`conda install --force-reinstall${from} ${conflict.name}=${conflict.version}\` to return to conda's build; or, for version ${pip.version} from conda (if the channel has it), \`pip uninstall ${pip.name}\`, then \`conda install${from} ${conflict.name}=${publicVersion(pip.version)}\`.`
        })
      );
    }
  }
  return verdicts;
}

import { TRANSFORMERS_RELEASES } from '../data/transformersReleases';
import { isSafeVersion } from '../commands';
import { combine } from '../data/sourced';
import { releaseCommand } from '../fixes/releaseCommand';
import { compareVersions, inSeries } from '../version';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';

/*
 * Requirements between frameworks: each Transformers series needs a minimum
 * PyTorch (D4, unverified mapping).
 */

/**
 * A verdict when Transformers' minimum PyTorch is above the installed one.
 */
export function requirementVerdicts(context: IRuleContext): IVerdict[] {
  const transformers = context.frameworks.find(f => f.kind === 'transformers');
  const torch = context.frameworks.find(f => f.kind === 'pytorch');
  if (!transformers || !torch) {
    return [];
  }
  const index = TRANSFORMERS_RELEASES.findIndex(r =>
    inSeries(transformers.version, r.first, r.last)
  );
  const row = TRANSFORMERS_RELEASES[index];
  if (!row || compareVersions(torch.version, row.minTorch) >= 0) {
    return [];
  }
  // The first series whose minimum this torch no longer meets: stay below it.
  const firstTooNew = TRANSFORMERS_RELEASES.find(
    r => compareVersions(torch.version, r.minTorch) < 0
  );
  const upgrade = `Upgrade PyTorch to ≥ ${row.minTorch} with a build for this machine's driver`;
  const older = firstTooNew
    ? releaseCommand(transformers, `<${firstTooNew.first}`, context)
    : null;
  // The installed version goes into the fix's prose: only when it is plain.
  const installed = isSafeVersion(torch.version)
    ? `PyTorch ${torch.version}`
    : 'the installed PyTorch';
  const fix = older
    ? `${upgrade}, or use a Transformers release that supports ${installed}: \`${older}\`.`
    : `${upgrade}.`;
  return [
    verdict('transformers-needs-newer-torch', {
      template:
        'Transformers {transformers} needs PyTorch ≥ {minTorch}; this environment has PyTorch {torch}.',
      params: {
        transformers: transformers.version,
        minTorch: row.minTorch,
        torch: torch.version
      },
      packages: [transformers.name, torch.name],
      sourced: combine(row),
      fix
    })
  ];
}

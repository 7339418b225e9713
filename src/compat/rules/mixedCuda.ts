import type { PackageRecord } from '../../api';
import { combine } from '../data/sourced';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';

/*
 * One environment, one CUDA major: libraries built for CUDA 11 and for CUDA
 * 12 cannot share a process. Only what packages state counts here — defaults
 * inferred from a table never make two majors "mixed".
 */

interface IHolder {
  package: string;
  source: PackageRecord['source'];
  major: number;
  sources: string[];
  verified: boolean;
}

function holders(context: IRuleContext): IHolder[] {
  const found: IHolder[] = [];
  const add = (holder: IHolder): void => {
    if (
      !found.some(h => h.package === holder.package && h.major === holder.major)
    ) {
      found.push(holder);
    }
  };
  for (const build of context.builds) {
    const major = build.cuda ? Number(build.cuda.split('.')[0]) : NaN;
    if (build.kind === 'cuda' && !build.inferred && !Number.isNaN(major)) {
      const record = context.frameworks.find(
        f => f.kind === build.framework
      )?.record;
      add({
        package: build.package,
        source: record?.source ?? 'conda',
        major,
        sources: build.sources,
        verified: build.verified
      });
    }
  }
  for (const s of context.signals) {
    if (s.kind === 'cuda' && s.cuda && !s.inferred) {
      add({
        package: s.package,
        source: s.source,
        major: s.cuda.major,
        sources: s.sources,
        verified: s.verified
      });
    }
  }
  return found;
}

/**
 * The removal command for the packages of one major.
 */
function removal(group: readonly IHolder[]): string {
  const pip = group.filter(h => h.source === 'pypi').map(h => h.package);
  const conda = group.filter(h => h.source === 'conda').map(h => h.package);
  const steps: string[] = [];
  if (pip.length > 0) {
    steps.push(`\`pip uninstall -y ${pip.join(' ')}\``);
  }
  if (conda.length > 0) {
    steps.push(`\`conda remove ${conda.join(' ')}\``);
  }
  return steps.join(' and ');
}

/**
 * A verdict when packages for more than one CUDA major are installed.
 */
export function mixedCudaVerdicts(context: IRuleContext): IVerdict[] {
  const all = holders(context);
  const majors = [...new Set(all.map(h => h.major))].sort((a, b) => a - b);
  if (majors.length < 2) {
    return [];
  }
  // Keep the major of the main framework's build when there is one, else the newest.
  const main = context.builds.find(
    b => b.kind === 'cuda' && b.cuda && !b.inferred
  );
  const keep = main?.cuda
    ? Number(main.cuda.split('.')[0])
    : majors[majors.length - 1];
  const groups = majors.map(major => ({
    major,
    members: all.filter(h => h.major === major)
  }));
  const describe = groups
    .map(g => `CUDA ${g.major} (${g.members.map(h => h.package).join(', ')})`)
    .join(' and ');
  const others = all.filter(h => h.major !== keep);
  return [
    verdict('mixed-cuda-majors', {
      template:
        'This environment mixes {describe}: whichever loads first, the other finds libraries of the wrong major.',
      params: { describe },
      packages: all.map(h => h.package),
      sourced: combine(...all, { sources: ['N2'], verified: true }),
      fix: `Keep one CUDA major. To keep CUDA ${keep}, remove the others: ${removal(others)}, then reinstall what depended on them; or recreate the environment with builds for one CUDA major.`
    })
  ];
}

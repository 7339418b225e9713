import type { PackageRecord } from '../packageRecord';
import { isSafeName } from '../commands';
import { combine } from '../data/sourced';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';

/*
 * Packages of two CUDA majors in one environment. Each major has its own
 * libraries and driver floor (N2); that holding both is a problem is an
 * inference, so the verdict is a warning marked unverified. Only what
 * packages state counts here — defaults inferred from a table never make
 * two majors "mixed".
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
 * The removal steps for the packages of other majors; null when a name is
 * unsafe in a command.
 */
function removal(
  context: IRuleContext,
  group: readonly IHolder[]
): string | null {
  const pip = group.filter(h => h.source === 'pypi').map(h => h.package);
  const conda = group.filter(h => h.source === 'conda').map(h => h.package);
  if (![...pip, ...conda].every(isSafeName)) {
    return null;
  }
  const steps: string[] = [];
  if (pip.length > 0) {
    steps.push(`\`${context.commands.pip(['uninstall', '-y', ...pip])}\``);
  }
  if (conda.length > 0) {
    // conda remove takes what depends on a package with it: say so before anyone runs it.
    steps.push(
      `\`${context.commands.conda('remove', conda)}\` (conda also removes every package that depends on ${conda.length > 1 ? 'them' : 'it'}: read its plan before confirming)`
    );
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
  const steps = removal(context, others);
  const recreate = 'recreate the environment with builds for one CUDA major';
  return [
    verdict('mixed-cuda-majors', {
      template:
        "This environment holds packages for {describe}. A build for one CUDA major needs that major's libraries (libcudart.so.11 and libcudart.so.12 are different files), so check that each framework finds its own (Check in environment asks them).",
      params: { describe },
      packages: all.map(h => h.package),
      // N2 backs only the major and driver facts; that the mix is a problem is inferred.
      sourced: combine(...all, { sources: ['N2'], verified: false }),
      fix: steps
        ? `If they are leftovers, keep one CUDA major. To keep CUDA ${keep}, remove the others: ${steps}, then reinstall what you still need with builds for CUDA ${keep}; or ${recreate}.`
        : `If they are leftovers, keep one CUDA major: ${recreate}.`
    })
  ];
}

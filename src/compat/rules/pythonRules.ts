import { releaseCommand } from '../fixes';
import type { IFramework } from '../frameworks';
import { findRecord } from '../records';
import { pythonSupport } from '../pythonSupport';
import { compareVersions, majorMinor } from '../version';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';

/*
 * The environment's Python against each framework release's supported range
 * (D1–D4).
 */

/**
 * One verdict per framework whose release does not fully support the
 * environment's Python.
 */
export function pythonVerdicts(context: IRuleContext): IVerdict[] {
  const python = context.python ? majorMinor(context.python) : null;
  if (!python) {
    return [];
  }
  const verdicts: IVerdict[] = [];
  const jaxlib = findRecord(context.records, 'jaxlib', 'pypi');
  for (const framework of context.frameworks) {
    const support = pythonSupport(framework, jaxlib ? jaxlib.version : null);
    if (!support) {
      continue;
    }
    const tooOld = compareVersions(python, support.min) < 0;
    const tooNew =
      support.max !== null && compareVersions(python, support.max) > 0;
    if (!tooOld && !tooNew) {
      continue;
    }
    const range = support.max
      ? `Python ${support.min}–${support.max}`
      : `Python ≥ ${support.min}`;
    const params = {
      framework: framework.label,
      version: framework.version,
      python: context.python ?? python,
      range
    };
    if (tooNew && support.experimental.includes(python)) {
      verdicts.push(
        verdict('python-experimental', {
          template:
            '{framework} {version} supports {range}; Python {python} was only experimental in this release.',
          params,
          packages: [framework.name, 'python'],
          sourced: support,
          fix: releaseFix(
            context,
            framework,
            support.newerSpec(python),
            support,
            python
          )
        })
      );
      continue;
    }
    const spec = tooNew ? support.newerSpec(python) : support.olderSpec(python);
    verdicts.push(
      verdict('python-unsupported', {
        template:
          '{framework} {version} supports {range}; this environment has Python {python}.',
        params,
        packages: [framework.name, 'python'],
        sourced: support,
        fix: releaseFix(context, framework, spec, support, python)
      })
    );
  }
  return verdicts;
}

function releaseFix(
  context: IRuleContext,
  framework: IFramework,
  spec: string | null,
  support: { min: string; max: string | null },
  python: string
): string {
  const pythonStep = support.max
    ? `use Python ${support.min}–${support.max} (\`conda install python=${support.max}\`)`
    : `use Python ≥ ${support.min} (\`conda install python=${support.min}\`)`;
  if (!spec) {
    return `No ${framework.label} release known here supports Python ${python}: ${pythonStep}.`;
  }
  return `Install a ${framework.label} release that supports Python ${python}: \`${releaseCommand(framework, spec)}\`, or ${pythonStep}.`;
}

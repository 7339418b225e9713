import {
  isSafeChannel,
  isSafeName,
  isSafeVersion,
  shellArg
} from '../commands';
import { channelIs, condaChannel } from '../fixes/installArgs';
import { releaseCommand } from '../fixes/releaseCommand';
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
    const support = pythonSupport(
      framework,
      jaxlib ? jaxlib.version : null,
      context.records
    );
    if (!support) {
      continue;
    }
    const tooOld = compareVersions(python, support.min) < 0;
    const tooNew =
      support.max !== null && compareVersions(python, support.max) > 0;
    if (!tooOld && !tooNew) {
      continue;
    }
    const range = rangeText(support);
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
    if (support.own !== null) {
      verdicts.push(
        verdict('python-unsupported', {
          template:
            '{framework} {version} was built for {range} ({evidence}); this environment has Python {python}.',
          params: { ...params, evidence: support.own },
          packages: [framework.name, 'python'],
          sourced: support,
          fix: rebuildFix(context, framework, support, python)
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

/**
 * "Python 3.9–3.12", "Python 3.12", "Python ≥ 3.9".
 */
function rangeText(support: { min: string; max: string | null }): string {
  if (support.max === null) {
    return `Python ≥ ${support.min}`;
  }
  return support.max === support.min
    ? `Python ${support.min}`
    : `Python ${support.min}–${support.max}`;
}

/**
 * Changing Python means a new environment: `conda install python=X.Y` in
 * place would leave pip's packages in the old lib/pythonX.Y, where the new
 * interpreter does not look.
 */
function pythonStep(
  context: IRuleContext,
  support: { min: string; max: string | null },
  python: string
): string {
  const target = support.max ?? support.min;
  const range = rangeText(support);
  const pip = context.records.some(r => r.source === 'pypi')
    ? ` (changing Python in place would leave this environment's pip packages behind in lib/python${python})`
    : '';
  return `use ${range}: create a new environment with python=${target} and install the packages there${pip}`;
}

function releaseFix(
  context: IRuleContext,
  framework: IFramework,
  spec: string | null,
  support: { min: string; max: string | null },
  python: string
): string {
  const step = pythonStep(context, support, python);
  const command = spec ? releaseCommand(framework, spec, context) : null;
  if (!command) {
    return spec
      ? `Install a ${framework.label} release that supports Python ${python} (${spec}), or ${step}.`
      : `No ${framework.label} release known here supports Python ${python}: ${step}.`;
  }
  return `Install a ${framework.label} release that supports Python ${python}: \`${command}\`, or ${step}.`;
}

/**
 * A conda build made for another Python: the same version built for this
 * environment's Python, from the same channel, if the channel has one.
 */
function rebuildFix(
  context: IRuleContext,
  framework: IFramework,
  support: { min: string; max: string | null },
  python: string
): string {
  const record =
    framework.kind === 'jax'
      ? (findRecord(context.records, 'jaxlib', 'conda') ?? framework.record)
      : framework.record;
  const channel = channelIs(record, 'pytorch')
    ? 'pytorch'
    : condaChannel(record);
  const version = record.version;
  const step = pythonStep(context, support, python);
  if (
    !isSafeName(record.name) ||
    !isSafeVersion(version) ||
    !isSafeChannel(channel)
  ) {
    return `Install a build of ${framework.label} for Python ${python}, or ${step}.`;
  }
  const from = channel === 'defaults' ? [] : ['-c', channel];
  const command = context.commands.conda('install', [
    ...from,
    `${record.name}=${version}`,
    shellArg(`python=${python}`)
  ]);
  return `Install the build of ${record.name} ${version} for Python ${python}, if its channel has one: \`${command}\`; or ${step}.`;
}

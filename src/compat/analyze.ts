import type { PackageRecord } from './packageRecord';

import type { IAnalyzeContext } from './commands';
import { CommandTarget } from './commands';
import type { ICudaBuildInfo } from './cudaBuild';
import { detectCudaBuilds } from './cudaBuild';
import { collectSignals } from './cudaSignals';
import { driverCuda, driverPlatform } from './driver';
import type { SystemFacts } from './facts';
import type { IFramework } from './frameworks';
import { detectFrameworks } from './frameworks';
import { envPython } from './records';
import type { IRuleContext } from './rules/context';
import { driverVerdicts } from './rules/driverRules';
import { gpuArchVerdicts } from './rules/gpuArch';
import { mixedCudaVerdicts } from './rules/mixedCuda';
import { overrideVerdicts } from './rules/override';
import { pipShadowVerdicts } from './rules/pipShadow';
import { pythonVerdicts } from './rules/pythonRules';
import { requirementVerdicts } from './rules/requirements';
import { tensorflowVerdicts } from './rules/tensorflowRules';
import type { IVerdict } from './verdict';
import { bySeverity, worstStatus } from './verdict';

/*
 * The engine's entry point: one environment's records on this machine, to
 * what the panel shows. Pure: same input, same output, nothing run.
 */

/**
 * Everything the engine concludes about one environment.
 */
export interface IAnalysis {
  /** The conda `python` version, or null. */
  python: string | null;
  frameworks: IFramework[];
  cuda: ICudaBuildInfo[];
  /** Most severe first. */
  verdicts: IVerdict[];
  /** The worst verdict's severity (`info` does not count); `unknown` when nothing was judged. */
  status: 'ok' | 'warning' | 'error' | 'unknown';
}

/**
 * The name the panel uses for an analysis.
 */
export type EnvironmentAnalysis = IAnalysis;

/**
 * Judge an environment's packages against this machine's facts. With the
 * environment's prefix in `options`, fixes name it in their commands.
 */
export function analyzeEnvironment(
  records: readonly PackageRecord[],
  facts: SystemFacts,
  options: IAnalyzeContext = {}
): IAnalysis {
  const python = envPython(records);
  const frameworks = detectFrameworks(records);
  const signals = collectSignals(records);
  const builds = detectCudaBuilds(
    frameworks,
    records,
    signals,
    facts.platform.conda_subdir
  );
  const platform = driverPlatform(facts.platform.conda_subdir);
  const context: IRuleContext = {
    records,
    python,
    frameworks,
    builds,
    signals,
    facts,
    platform,
    driver: driverCuda(facts.gpu, platform),
    commands: new CommandTarget(options.prefix),
    subdir: facts.platform.conda_subdir
  };
  const verdicts = bySeverity([
    ...driverVerdicts(context),
    ...mixedCudaVerdicts(context),
    ...gpuArchVerdicts(context),
    ...pythonVerdicts(context),
    ...requirementVerdicts(context),
    ...tensorflowVerdicts(context),
    ...pipShadowVerdicts(context),
    ...overrideVerdicts(context)
  ]);
  return {
    python,
    frameworks,
    cuda: builds,
    verdicts,
    status: worstStatus(verdicts)
  };
}

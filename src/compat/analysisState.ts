import type { TranslationBundle } from '@jupyterlab/translation';

import { describeError } from '../core/serverModel';
import type { MachineModel } from '../gpu/machineModel';
import type { EnvironmentAnalysis } from './analyze';
import type { IAnalyzeContext } from './commands';
import type { SystemFacts } from './facts';
import type { PackageRecord } from './packageRecord';

/**
 * The compatibility engine's entry point (tests pass their own); the
 * context names the environment, for commands in fixes.
 */
export type Analyze = (
  records: PackageRecord[],
  facts: SystemFacts,
  context?: IAnalyzeContext
) => EnvironmentAnalysis;

/**
 * The compatibility of one environment.
 */
export interface IAnalysisState {
  /**
   * `loading` while its packages or this machine's facts are on their
   * way; `error` when either could not be read or the engine failed.
   */
  status: 'loading' | 'done' | 'error';
  /** The environment revision this is (or will be) about. */
  revision: string;
  /** The engine's answer; while loading, the previous one, if any. */
  analysis: EnvironmentAnalysis | null;
  /** Why there is no answer; `''` unless `status` is `error`. */
  error: string;
}

/**
 * Judge one environment's packages (read at `revision`) by this machine's
 * facts as far as they are known: while there are no facts, the
 * environment waits for them, or shares their failure.
 */
export function judgePackages(options: judgePackages.IOptions): IAnalysisState {
  const { revision, packages, system, analyze, prefix, trans } = options;
  const facts = system.facts;
  if (facts === null) {
    return {
      status: system.status === 'error' ? 'error' : 'loading',
      revision,
      analysis: null,
      error: system.error
    };
  }
  try {
    return {
      status: 'done',
      revision,
      analysis: analyze(packages, facts, { prefix }),
      error: ''
    };
  } catch (reason) {
    return {
      status: 'error',
      revision,
      analysis: null,
      error: trans.__(
        'The compatibility check failed: %1',
        describeError(reason)
      )
    };
  }
}

export namespace judgePackages {
  export interface IOptions {
    revision: string;
    packages: PackageRecord[];
    system: MachineModel.ISystemState;
    analyze: Analyze;
    /** The environment's prefix, for commands in fixes. */
    prefix: string | null;
    trans: TranslationBundle;
  }
}

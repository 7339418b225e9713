import type { PackageRecord } from '../../api';

import type { ICudaBuildInfo } from '../cudaBuild';
import type { ICudaSignal } from '../cudaSignals';
import type { IDriverCuda } from '../driver';
import type { SystemFacts } from '../facts';
import type { IFramework } from '../frameworks';

/*
 * What every rule reads: the environment as derived so far and the machine.
 */

export interface IRuleContext {
  records: readonly PackageRecord[];
  python: string | null;
  frameworks: readonly IFramework[];
  builds: readonly ICudaBuildInfo[];
  signals: readonly ICudaSignal[];
  facts: SystemFacts;
  /** The driver's maximum CUDA; null without a driver. */
  driver: IDriverCuda | null;
}

/**
 * The framework a build belongs to.
 */
export function frameworkOf(
  context: IRuleContext,
  build: ICudaBuildInfo
): IFramework | undefined {
  return context.frameworks.find(f => f.kind === build.framework);
}

import type { PackageRecord } from '../packageRecord';

import type { ICudaBuildInfo } from '../cudaBuild';
import type { ICudaSignal } from '../cudaSignals';
import type { DriverPlatform, IDriverCuda } from '../driver';
import type { SystemFacts } from '../facts';
import type { IFixContext } from '../fixes/installArgs';
import type { IFramework } from '../frameworks';

/*
 * What every rule reads: the environment as derived so far and the machine.
 */

export interface IRuleContext extends IFixContext {
  records: readonly PackageRecord[];
  python: string | null;
  frameworks: readonly IFramework[];
  builds: readonly ICudaBuildInfo[];
  signals: readonly ICudaSignal[];
  facts: SystemFacts;
  /** Whose driver numbers apply (B1/B2 have a Windows column). */
  platform: DriverPlatform;
  /** The driver's maximum CUDA; null when the driver said neither its CUDA nor its version. */
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

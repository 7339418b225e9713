import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { EnvironmentSummary } from '../environments/api';
import {
  condaInstallIpykernel,
  pipInstallIpykernel,
  registerKernel
} from './kernelShellCommands';
import { CommandSnippet } from '../core/commandSnippet';

/**
 * Why an environment gives no kernel, and the command that fixes it.
 */
export function KernelHint(props: KernelHint.IProps): JSX.Element {
  const { env, trans } = props;
  if (env.python_version === null) {
    return (
      <p className="jp-CondaEnvs-EnvironmentDetails-hint">
        {trans.__('No Python in this environment, so no Python kernel.')}
      </p>
    );
  }
  if (!env.has_ipykernel && env.frozen) {
    // conda refuses to install into a frozen environment (CEP 22), and pip
    // would go around the freeze: no command, the way that keeps it.
    return (
      <p className="jp-CondaEnvs-EnvironmentDetails-hint jp-CondaEnvs-EnvironmentDetails-noIpykernel">
        {trans.__(
          'No ipykernel in this environment, and it is frozen: conda refuses to add one. Clone it (conda create --clone) and add ipykernel to the copy.'
        )}
      </p>
    );
  }
  if (!env.has_ipykernel) {
    return <IpykernelHint prefix={env.prefix} trans={trans} />;
  }
  return (
    <div className="jp-CondaEnvs-EnvironmentDetails-hint jp-CondaEnvs-EnvironmentDetails-noKernel">
      <p>
        {trans.__(
          'ipykernel is installed but no kernel runs here. Register one:'
        )}
      </p>
      <CommandSnippet command={registerKernel(env)} trans={trans} />
    </div>
  );
}

export namespace KernelHint {
  export interface IProps {
    env: EnvironmentSummary;
    trans: TranslationBundle;
  }
}

/**
 * The commands that install ipykernel into the environment at `prefix`.
 *
 * Needs only the prefix, so it also serves where no summary of the
 * environment is at hand yet (a project environment before the listing).
 */
export function IpykernelHint(props: IpykernelHint.IProps): JSX.Element {
  const { prefix, trans } = props;
  return (
    <div className="jp-CondaEnvs-EnvironmentDetails-hint jp-CondaEnvs-EnvironmentDetails-noIpykernel">
      <p>{trans.__('No ipykernel in this environment')}</p>
      <p>{trans.__('Install it with conda:')}</p>
      <CommandSnippet
        command={condaInstallIpykernel({ prefix })}
        trans={trans}
      />
      <p>{trans.__('or with pip:')}</p>
      <CommandSnippet command={pipInstallIpykernel({ prefix })} trans={trans} />
    </div>
  );
}

export namespace IpykernelHint {
  export interface IProps {
    /** Realpath of the environment. */
    prefix: string;
    trans: TranslationBundle;
  }
}

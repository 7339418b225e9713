import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { EnvironmentSummary } from '../environments/api';
import { condaEnvsIcon } from '../core/icons';

/**
 * The notebook toolbar's note of the conda environment its kernel runs in;
 * a button that shows that environment in the panel.
 */
export function KernelEnvButton(props: KernelEnvButton.IProps): JSX.Element {
  const { env, trans } = props;
  const label = env
    ? trans.__(
        'Kernel runs in conda environment %1 (%2) — show it in the Conda Environments panel',
        env.name,
        env.prefix
      )
    : trans.__(
        'The kernel runs in no known conda environment — show the Conda Environments panel'
      );
  return (
    <button
      type="button"
      className={
        'jp-CondaEnvs-KernelEnvIndicator-button' +
        (env ? '' : ' jp-mod-unknown')
      }
      data-env-id={env?.id}
      data-status={env ? 'env' : 'none'}
      title={label}
      aria-label={label}
      onClick={() => props.onReveal(env?.id ?? null)}
    >
      <condaEnvsIcon.react
        tag="span"
        className="jp-CondaEnvs-KernelEnvIndicator-icon"
        elementSize="small"
      />
      <span className="jp-CondaEnvs-KernelEnvIndicator-name">
        {env ? env.name : trans.__('No conda environment')}
      </span>
    </button>
  );
}

export namespace KernelEnvButton {
  export interface IProps {
    /** The environment the kernel runs in; null when none is known. */
    env: EnvironmentSummary | null;
    /** Show the environment (or, with null, just the panel). */
    onReveal: (id: string | null) => void;
    trans: TranslationBundle;
  }
}

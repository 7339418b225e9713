import { TranslationBundle } from '@jupyterlab/translation';
import { caretDownIcon, caretRightIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { EnvironmentKind, EnvironmentSummary } from './api';
import type { CompatModel } from '../compat/compatModel';
import { CompatBadge } from '../compat/compatBadge';
import { frozenIcon } from '../core/icons';

/**
 * The always-visible line of an environment: a button that opens its
 * details, with its kind, manager, Python, package counts and kernels.
 */
export function EnvironmentRow(props: EnvironmentRow.IProps): JSX.Element {
  const { env, expanded, active, trans } = props;
  const Caret = expanded ? caretDownIcon : caretRightIcon;
  const kernels = env.kernels.map(kernel => kernel.display_name).join(', ');
  return (
    <>
      <button
        type="button"
        className="jp-CondaEnvs-EnvironmentList-row"
        aria-expanded={expanded}
        aria-controls={props.detailsId}
        title={env.prefix}
        onClick={props.onToggle}
      >
        <Caret.react
          tag="span"
          className="jp-CondaEnvs-EnvironmentList-caret"
          elementSize="small"
        />
        <span className="jp-CondaEnvs-EnvironmentList-heading">
          <span className="jp-CondaEnvs-EnvironmentList-name">{env.name}</span>
          <CompatBadge state={props.compat} trans={trans} />
          <span
            className={`jp-CondaEnvs-EnvironmentList-badge jp-CondaEnvs-EnvironmentList-badge-${env.kind}`}
            title={Private.kindTitle(env.kind, trans)}
          >
            {Private.kindLabel(env.kind, trans)}
          </span>
          {env.frozen && (
            <span
              className="jp-CondaEnvs-EnvironmentList-frozenMark"
              title={Private.frozenTitle(env.frozen_message, trans)}
            >
              {/* Decorative: the word next to it is what a screen reader reads. */}
              <span
                className="jp-CondaEnvs-EnvironmentList-frozenIcon"
                aria-hidden="true"
              >
                <frozenIcon.react tag="span" elementSize="small" />
              </span>
              {trans.__('frozen')}
            </span>
          )}
          {env.is_server_env && (
            <span
              className="jp-CondaEnvs-EnvironmentList-serverMark"
              title={trans.__('The Jupyter server runs in this environment')}
            >
              {trans.__('Jupyter server')}
            </span>
          )}
          {active && (
            <span
              className="jp-CondaEnvs-EnvironmentList-activeMark"
              title={trans.__(
                "The current notebook's kernel runs in this environment"
              )}
            >
              {trans.__('current notebook')}
            </span>
          )}
        </span>
        <span className="jp-CondaEnvs-EnvironmentList-facts">
          <span className="jp-CondaEnvs-EnvironmentList-manager">
            {env.manager}
          </span>
          <span className="jp-CondaEnvs-EnvironmentList-python">
            {env.python_version === null
              ? trans.__('no Python')
              : trans.__('Python %1', env.python_version)}
          </span>
          <span
            className="jp-CondaEnvs-EnvironmentList-counts"
            data-conda-count={env.package_counts.conda}
            data-pip-count={env.package_counts.pip}
          >
            {trans.__(
              '%1 conda, %2 pip',
              env.package_counts.conda,
              env.package_counts.pip
            )}
          </span>
        </span>
        {kernels && (
          <span className="jp-CondaEnvs-EnvironmentList-kernels">
            {trans.__('Kernels: %1', kernels)}
          </span>
        )}
      </button>
      {env.errors.length > 0 && (
        <ul className="jp-CondaEnvs-EnvironmentList-errors" role="alert">
          {env.errors.map((error, index) => (
            <li key={index}>{error}</li>
          ))}
        </ul>
      )}
    </>
  );
}

export namespace EnvironmentRow {
  export interface IProps {
    env: EnvironmentSummary;
    expanded: boolean;
    /** Whether the current notebook's kernel runs in this environment. */
    active: boolean;
    /** The DOM id of the details this row opens. */
    detailsId: string;
    onToggle: () => void;
    /** Its compatibility on this machine; no badge when undefined. */
    compat?: CompatModel.IAnalysisState;
    trans: TranslationBundle;
  }
}

namespace Private {
  export function frozenTitle(
    message: string | null,
    trans: TranslationBundle
  ): string {
    const what = trans.__('Frozen: conda refuses to change this environment');
    return message ? trans.__('%1. Reason: %2', what, message) : what;
  }

  export function kindLabel(
    kind: EnvironmentKind,
    trans: TranslationBundle
  ): string {
    switch (kind) {
      case 'base':
        return trans.__('base');
      case 'named':
        return trans.__('named');
      case 'path':
        return trans.__('path');
      case 'project':
        return trans.__('project');
    }
  }

  export function kindTitle(
    kind: EnvironmentKind,
    trans: TranslationBundle
  ): string {
    switch (kind) {
      case 'base':
        return trans.__('The root environment of a conda installation');
      case 'named':
        return trans.__('An environment in an envs directory, used by name');
      case 'path':
        return trans.__('An environment used by its path');
      case 'project':
        return trans.__('A project-local environment under the server root');
    }
  }
}

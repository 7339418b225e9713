import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { EnvironmentSummary, KernelRef, PackageRecord } from './api';
import type { IPage } from './filters';
import type { EnvironmentsModel } from './model';
import { CompatSection } from '../compat/compatSection';
import { KernelHint } from '../kernels/kernelHint';
import { PackageTable } from './packageTable';

/**
 * What the panel does with a kernel; the plugin wires these to commands.
 */
export interface IKernelActions {
  /**
   * Switch the current notebook to the kernelspec `kernelName`; a promise
   * settles when the switch has (rejects when it failed).
   */
  useKernel: (kernelName: string) => void | Promise<unknown>;
  /** Open a new notebook with the kernelspec `kernelName`. */
  newNotebook: (kernelName: string) => void;
  /** Export the environment `id` to an environment file (a dialog). */
  exportEnvironment?: (id: string) => void;
  /** Compare the environment `id` with another one (a dialog, then a tab). */
  compareEnvironment?: (id: string) => void;
}

/**
 * The open part of an environment row: where it is, its kernels (or how to
 * get one), and its packages.
 */
export function EnvironmentDetails(
  props: EnvironmentDetails.IProps
): JSX.Element {
  const { env, trans } = props;
  return (
    <div
      id={props.id}
      className="jp-CondaEnvs-EnvironmentDetails"
      data-env-id={env.id}
    >
      <dl className="jp-CondaEnvs-EnvironmentDetails-facts">
        <dt>{trans.__('Prefix')}</dt>
        <dd>
          <code className="jp-CondaEnvs-EnvironmentDetails-prefix">
            {env.prefix}
          </code>
        </dd>
        {env.sources.length > 0 && (
          <>
            <dt>{trans.__('Found in')}</dt>
            <dd className="jp-CondaEnvs-EnvironmentDetails-sources">
              {env.sources.join(', ')}
            </dd>
          </>
        )}
        {env.frozen && (
          <>
            <dt>{trans.__('Frozen')}</dt>
            <dd className="jp-CondaEnvs-EnvironmentDetails-frozen">
              <span>
                {trans.__(
                  'conda refuses to change this environment (unless run with --override-frozen)'
                )}
              </span>
              {env.frozen_message && (
                <q className="jp-CondaEnvs-EnvironmentDetails-frozenMessage">
                  {env.frozen_message}
                </q>
              )}
            </dd>
          </>
        )}
        {!env.writable && (
          <>
            <dt>{trans.__('Access')}</dt>
            <dd className="jp-CondaEnvs-EnvironmentDetails-readOnly">
              {trans.__('Read-only for you')}
            </dd>
          </>
        )}
      </dl>

      {(props.actions.exportEnvironment ||
        props.actions.compareEnvironment) && (
        <div className="jp-CondaEnvs-EnvironmentDetails-actions">
          {props.actions.exportEnvironment && (
            <button
              type="button"
              className="jp-CondaEnvs-EnvironmentDetails-export jp-Button jp-mod-styled jp-mod-reject"
              title={trans.__('Export %1 to an environment file', env.name)}
              onClick={() => props.actions.exportEnvironment?.(env.id)}
            >
              {trans.__('Export…')}
            </button>
          )}
          {props.actions.compareEnvironment && (
            <button
              type="button"
              className="jp-CondaEnvs-EnvironmentDetails-compare jp-Button jp-mod-styled jp-mod-reject"
              title={trans.__(
                'Compare the packages of %1 with another environment',
                env.name
              )}
              onClick={() => props.actions.compareEnvironment?.(env.id)}
            >
              {trans.__('Compare with…')}
            </button>
          )}
        </div>
      )}

      <h3 className="jp-CondaEnvs-EnvironmentDetails-heading">
        {trans.__('Kernels')}
      </h3>
      {env.kernels.length > 0 ? (
        <ul className="jp-CondaEnvs-EnvironmentDetails-kernels">
          {env.kernels.map(kernel => (
            <KernelItem
              key={kernel.name}
              kernel={kernel}
              notebookOpen={props.notebookOpen}
              inUse={props.activeKernelName === kernel.name}
              actions={props.actions}
              trans={trans}
            />
          ))}
        </ul>
      ) : (
        <KernelHint env={env} trans={trans} />
      )}

      {props.compat && <CompatSection {...props.compat} trans={trans} />}

      <h3 className="jp-CondaEnvs-EnvironmentDetails-heading">
        {trans.__('Packages')}
      </h3>
      <PackageTable
        state={props.packages ?? Private.LOADING}
        page={props.packagePage}
        search={props.packageSearch}
        trans={trans}
        onSearch={props.onPackageSearch}
        onPage={props.onPackagePage}
      />
    </div>
  );
}

export namespace EnvironmentDetails {
  export interface IProps {
    /** The DOM id, referenced by the row's `aria-controls`. */
    id: string;
    env: EnvironmentSummary;
    /** Whether a notebook is open whose kernel can be switched. */
    notebookOpen: boolean;
    /** The kernelspec name of the current notebook's kernel, if any. */
    activeKernelName: string | null;
    actions: IKernelActions;
    /** The environment's packages; undefined before they are requested. */
    packages: EnvironmentsModel.IPackagesState | undefined;
    packagePage: IPage<PackageRecord>;
    packageSearch: string;
    onPackageSearch: (text: string) => void;
    onPackagePage: (page: number) => void;
    /** Its compatibility and probe; no such section when undefined. */
    compat?: Omit<CompatSection.IProps, 'trans'>;
    trans: TranslationBundle;
  }
}

function KernelItem(props: {
  kernel: KernelRef;
  notebookOpen: boolean;
  /** The current notebook already runs this kernel. */
  inUse: boolean;
  actions: IKernelActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { kernel, notebookOpen, inUse, actions, trans } = props;
  const useTitle = !notebookOpen
    ? trans.__('Open a notebook to switch its kernel')
    : inUse
      ? trans.__('The current notebook already uses this kernel')
      : trans.__('Switch the current notebook to %1', kernel.display_name);
  return (
    <li
      className="jp-CondaEnvs-EnvironmentDetails-kernel"
      data-kernel-name={kernel.name}
    >
      <span
        className="jp-CondaEnvs-EnvironmentDetails-kernelName"
        title={kernel.name}
      >
        {kernel.display_name}
      </span>
      {/* A disabled button gets no pointer events: the wrapper shows why. */}
      <span title={useTitle}>
        <button
          type="button"
          className="jp-CondaEnvs-EnvironmentDetails-useKernel jp-Button jp-mod-styled jp-mod-accept"
          disabled={!notebookOpen || inUse}
          title={useTitle}
          onClick={() => void actions.useKernel(kernel.name)}
        >
          {trans.__('Use in this notebook')}
        </button>
      </span>
      <button
        type="button"
        className="jp-CondaEnvs-EnvironmentDetails-newNotebook jp-Button jp-mod-styled jp-mod-reject"
        title={trans.__('Open a new notebook with %1', kernel.display_name)}
        onClick={() => actions.newNotebook(kernel.name)}
      >
        {trans.__('New notebook')}
      </button>
    </li>
  );
}

namespace Private {
  /**
   * What to show in the instant before the packages are requested.
   */
  export const LOADING: EnvironmentsModel.IPackagesState = {
    status: 'loading',
    packages: [],
    errors: [],
    error: ''
  };
}

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { EnvironmentSummary } from '../environments/api';
import type {
  ProjectEnvironment as IProjectEnvironment,
  UnresolvedProject
} from './api';
import {
  environmentOfKernel,
  kernelNamesOf,
  kernelRunsInProject
} from './kernelEnvironment';
import type { EnvironmentsModel } from '../environments/model';
import { IpykernelHint, KernelHint } from './kernelHint';

/**
 * The current notebook's project environment: which one it is, where it was
 * found, whether the notebook's kernel runs in it, and a button that
 * switches the kernel when it does not.
 */
export function ProjectEnvironment(
  props: ProjectEnvironment.IProps
): JSX.Element {
  const { state, environments, kernelName, trans } = props;
  const status = ProjectEnvironment.statusOf(state, environments, kernelName);
  const project = state.response?.project ?? null;
  return (
    <section
      className="jp-CondaEnvs-ProjectEnvironment"
      data-status={status}
      data-env-id={project?.environment_id}
      aria-label={trans.__('Project environment')}
      aria-busy={state.status === 'loading'}
    >
      <h3 className="jp-CondaEnvs-ProjectEnvironment-title">
        {trans.__('Project environment')}
      </h3>
      {status === 'loading' && (
        <div className="jp-CondaEnvs-ProjectEnvironment-loading" role="status">
          {trans.__('Looking for the project environment of this notebook…')}
        </div>
      )}
      {status === 'error' && (
        <div className="jp-CondaEnvs-ProjectEnvironment-error" role="alert">
          {trans.__('Could not find the project environment: %1', state.error)}
        </div>
      )}
      {status === 'none' && (
        <p className="jp-CondaEnvs-ProjectEnvironment-none">
          {trans.__(
            "No project environment: no environment.yml naming an environment, and no ./env, ./.conda or .pixi prefix, between this notebook's folder and the server root"
          )}
        </p>
      )}
      {project && <ProjectFacts project={project} trans={trans} />}
      {project && status === 'match' && (
        <p className="jp-CondaEnvs-ProjectEnvironment-verdict">
          {trans.__('This notebook runs in its project environment')}
        </p>
      )}
      {project && status === 'mismatch' && (
        <>
          <p className="jp-CondaEnvs-ProjectEnvironment-verdict">
            {Private.currentKernelText(environments, kernelName, trans)}
          </p>
          <SwitchButton
            // A new project or kernel starts with a fresh button.
            key={`${project.environment_id}:${kernelName}`}
            project={project}
            onSwitch={props.onSwitch}
            trans={trans}
          />
        </>
      )}
      {project && status === 'no-kernel' && (
        <NoKernel
          project={project}
          env={
            environments.find(env => env.id === project.environment_id) ?? null
          }
          trans={trans}
        />
      )}
      {state.response && state.response.unresolved.length > 0 && (
        <Unresolved entries={state.response.unresolved} trans={trans} />
      )}
    </section>
  );
}

export namespace ProjectEnvironment {
  export interface IProps {
    /** The model's project state for the current notebook. */
    state: EnvironmentsModel.IProjectState;
    /** The environment listing, to tell which environment a kernel runs in. */
    environments: ReadonlyArray<EnvironmentSummary>;
    /** The kernelspec name of the notebook's kernel; null when it has none. */
    kernelName: string | null;
    /** Switch the notebook to a kernelspec; rejects when that fails. */
    onSwitch: (kernelName: string) => Promise<unknown>;
    trans: TranslationBundle;
  }

  /**
   * What the section says, also its `data-status` for tests and styles.
   */
  export type Status =
    'loading' | 'error' | 'none' | 'match' | 'mismatch' | 'no-kernel';

  /**
   * Where the notebook stands with its project environment.
   */
  export function statusOf(
    state: EnvironmentsModel.IProjectState,
    environments: ReadonlyArray<EnvironmentSummary>,
    kernelName: string | null
  ): Status {
    if (state.status === 'error') {
      return 'error';
    }
    if (state.response === null) {
      return 'loading';
    }
    const project = state.response.project;
    if (project === null) {
      return 'none';
    }
    const envKernels = kernelNamesOf(environments, project.environment_id);
    if (kernelRunsInProject(project, kernelName, envKernels)) {
      return 'match';
    }
    return project.kernel === null ? 'no-kernel' : 'mismatch';
  }
}

/**
 * The project environment's name and where it was found.
 */
function ProjectFacts(props: {
  project: IProjectEnvironment;
  trans: TranslationBundle;
}): JSX.Element {
  const { project, trans } = props;
  return (
    <dl className="jp-CondaEnvs-ProjectEnvironment-facts">
      <dt>{trans.__('Environment')}</dt>
      <dd
        className="jp-CondaEnvs-ProjectEnvironment-name"
        title={project.prefix}
      >
        {project.name}
      </dd>
      <dt>
        {project.source === 'prefix'
          ? trans.__('Project prefix')
          : trans.__('Named in')}
      </dt>
      <dd>
        <code className="jp-CondaEnvs-ProjectEnvironment-file">
          {project.file}
        </code>
      </dd>
    </dl>
  );
}

/**
 * Switches the notebook to the project's kernel; busy while it switches, and
 * says why when the switch fails.
 */
function SwitchButton(props: {
  project: IProjectEnvironment;
  onSwitch: (kernelName: string) => Promise<unknown>;
  trans: TranslationBundle;
}): JSX.Element {
  const { project, onSwitch, trans } = props;
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState('');
  const kernel = project.kernel;
  const onClick = async (): Promise<void> => {
    if (kernel === null) {
      return;
    }
    setBusy(true);
    setError('');
    try {
      await onSwitch(kernel);
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="jp-CondaEnvs-ProjectEnvironment-switch jp-Button jp-mod-styled jp-mod-accept"
        disabled={busy || kernel === null}
        aria-busy={busy}
        title={trans.__(
          'Switch this notebook to the kernel of %1 (%2)',
          project.name,
          kernel ?? ''
        )}
        onClick={() => void onClick()}
      >
        {busy
          ? trans.__('Switching to %1…', project.name)
          : trans.__('Switch to %1', project.name)}
      </button>
      {error && (
        <div
          className="jp-CondaEnvs-ProjectEnvironment-switchError"
          role="alert"
        >
          {trans.__('Could not switch the kernel: %1', error)}
        </div>
      )}
    </>
  );
}

/**
 * The project environment gives no kernel: say so, and how to get one.
 */
function NoKernel(props: {
  project: IProjectEnvironment;
  /** Its summary, once listed. */
  env: EnvironmentSummary | null;
  trans: TranslationBundle;
}): JSX.Element {
  const { project, env, trans } = props;
  return (
    <div className="jp-CondaEnvs-ProjectEnvironment-noKernel">
      <p className="jp-CondaEnvs-ProjectEnvironment-verdict">
        {trans.__(
          '%1 has no kernel, so this notebook cannot run in it.',
          project.name
        )}
      </p>
      {env ? (
        <KernelHint env={env} trans={trans} />
      ) : (
        <IpykernelHint prefix={project.prefix} trans={trans} />
      )}
    </div>
  );
}

/**
 * The environment.yml files on the way up that name no environment here.
 */
function Unresolved(props: {
  entries: ReadonlyArray<UnresolvedProject>;
  trans: TranslationBundle;
}): JSX.Element {
  const { entries, trans } = props;
  return (
    <ul className="jp-CondaEnvs-ProjectEnvironment-unresolved">
      {entries.map(entry => (
        <li
          key={entry.file}
          className="jp-CondaEnvs-ProjectEnvironment-unresolvedItem"
          data-file={entry.file}
          title={entry.reason}
        >
          {entry.name
            ? trans.__(
                '%1 names “%2”, which is not an environment here',
                entry.file,
                entry.name
              )
            : // A file that names no environment at all: say why.
              trans.__('%1: %2', entry.file, entry.reason)}
        </li>
      ))}
    </ul>
  );
}

namespace Private {
  /**
   * What the notebook runs in now, for a notebook that is not in its
   * project environment.
   */
  export function currentKernelText(
    environments: ReadonlyArray<EnvironmentSummary>,
    kernelName: string | null,
    trans: TranslationBundle
  ): string {
    if (kernelName === null) {
      return trans.__('This notebook has no kernel');
    }
    const env = environmentOfKernel(environments, kernelName);
    if (env === null) {
      return trans.__('This notebook runs in %1', kernelName);
    }
    const kernel = env.kernels.find(candidate => candidate.name === kernelName);
    return trans.__(
      'This notebook runs in %1 (environment %2)',
      kernel?.display_name ?? kernelName,
      env.name
    );
  }
}

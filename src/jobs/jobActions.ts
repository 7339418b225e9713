import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import type { EnvironmentSummary } from '../environments/api';
import type { Job } from './api';
import type { EnvironmentsModel } from '../environments/model';
import { JobsModel } from './jobsModel';

/**
 * What acting on a finished job needs from the plugin.
 */
export interface IJobActionsOptions {
  model: EnvironmentsModel;
  /** Open a new notebook with a kernelspec (`notebook:create-new`). */
  openNotebook: (kernelName: string) => Promise<unknown>;
  /** Read the kernelspecs again (the launcher and kernel picker cache them). */
  refreshSpecs: () => Promise<void>;
  trans: TranslationBundle;
}

/**
 * The environment a job created or updated, as the model lists it: by its
 * id once the server knows it, else by its prefix.
 */
export function environmentOfJob(
  environments: ReadonlyArray<EnvironmentSummary>,
  job: Job
): EnvironmentSummary | null {
  return (
    (job.environment_id !== null
      ? environments.find(env => env.id === job.environment_id)
      : undefined) ??
    environments.find(env => env.prefix === job.prefix) ??
    null
  );
}

/**
 * "New notebook in <name>": find the environment's kernel (after a refresh
 * when the listing does not have it yet) and open a notebook with it.
 *
 * @returns whether a notebook was opened
 */
export async function newNotebookInJob(
  job: Job,
  options: IJobActionsOptions
): Promise<boolean> {
  const { model, trans } = options;
  let env = environmentOfJob(model.environments, job);
  if (!env || !env.kernels.length) {
    await Promise.all([model.refresh(), options.refreshSpecs()]);
    env = environmentOfJob(model.environments, job);
  }
  const kernel = env?.kernels[0];
  if (!kernel) {
    Notification.warning(
      env
        ? trans.__(
            '%1 has no kernel: it needs ipykernel (conda install -n %1 ipykernel).',
            job.name
          )
        : trans.__('%1 is not listed yet; refresh the panel.', job.name),
      { autoClose: 8000 }
    );
    return false;
  }
  await options.openNotebook(kernel.name);
  return true;
}

/**
 * When a job finishes: reload the environments and the kernelspecs (so the
 * environment and its kernel appear without a restart) and say so, with
 * "New notebook in <name>" for a success.
 */
export function followJobs(jobs: JobsModel, options: IJobActionsOptions): void {
  const { model, trans } = options;
  jobs.jobFinished.connect(async (_, job) => {
    // Even a failed or cancelled update may have changed the environment.
    await Promise.all([model.refresh(), options.refreshSpecs()]);
    switch (job.status) {
      case 'succeeded':
        Notification.success(
          job.kind === 'update'
            ? trans.__('Updated the conda environment %1.', job.name)
            : trans.__('Created the conda environment %1.', job.name),
          {
            autoClose: 10000,
            actions: [
              {
                label: trans.__('New notebook in %1', job.name),
                caption: trans.__(
                  'Open a new notebook with the kernel of %1',
                  job.name
                ),
                callback: () => {
                  void newNotebookInJob(job, options);
                }
              }
            ]
          }
        );
        break;
      case 'failed':
        Notification.error(
          job.kind === 'update'
            ? trans.__('Could not update %1: %2', job.name, job.error)
            : trans.__('Could not create %1: %2', job.name, job.error),
          { autoClose: false }
        );
        break;
      case 'cancelled':
        Notification.info(
          job.kind === 'update'
            ? trans.__('The update of %1 was cancelled.', job.name)
            : trans.__(
                'The creation of %1 was cancelled; what it had created was removed.',
                job.name
              ),
          { autoClose: 5000 }
        );
        break;
    }
  });
}

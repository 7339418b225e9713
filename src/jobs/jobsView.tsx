import { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Job, JobKind, JobStatus } from './api';
import { JobsModel } from './jobsModel';

/**
 * The create and update jobs: per job its name, kind, tool and status, a
 * progress bar with the phase, the live log, Cancel while it runs, the error
 * when it failed, and "New notebook in <name>" when it succeeded.
 */
export function JobList(props: JobList.IProps): JSX.Element | null {
  const { jobs, trans } = props;
  if (!jobs.length) {
    return null;
  }
  return (
    <ul className="jp-CondaEnvs-Jobs" aria-label={trans.__('Jobs')}>
      {jobs.map(state => (
        <JobItem key={state.job.id} state={state} {...props} />
      ))}
    </ul>
  );
}

export namespace JobList {
  export interface IProps {
    jobs: ReadonlyArray<JobsModel.IJobState>;
    onCancel: (id: string) => void;
    /** Read the log of a job this page did not follow. */
    onLoadLog: (id: string) => void;
    onDismiss: (id: string) => void;
    /** Open a notebook in the environment a job created; no button without. */
    onNewNotebook?: (job: Job) => void;
    trans: TranslationBundle;
  }
}

/**
 * Renders the jobs of a model whenever it changes.
 */
export class JobsView extends VDomRenderer<JobsModel> {
  constructor(options: JobsView.IOptions) {
    super(options.model);
    this._trans = options.trans;
    this._onNewNotebook = options.onNewNotebook;
    this.addClass('jp-CondaEnvs-JobsView');
  }

  protected render(): JSX.Element {
    const model = this.model;
    return (
      <>
        {model.error && (
          <p className="jp-CondaEnvs-Jobs-error" role="alert">
            {model.error}
          </p>
        )}
        <JobList
          jobs={model.jobs}
          onCancel={id => void model.cancel(id)}
          onLoadLog={id => void model.loadLog(id)}
          onDismiss={id => model.dismiss(id)}
          onNewNotebook={this._onNewNotebook}
          trans={this._trans}
        />
      </>
    );
  }

  private _trans: TranslationBundle;
  private _onNewNotebook: ((job: Job) => void) | undefined;
}

export namespace JobsView {
  export interface IOptions {
    model: JobsModel;
    onNewNotebook?: (job: Job) => void;
    trans: TranslationBundle;
  }
}

/**
 * The label of a job's status.
 */
export function statusLabel(
  status: JobStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'queued':
      return trans.__('Queued');
    case 'running':
      return trans.__('Running');
    case 'succeeded':
      return trans.__('Done');
    case 'failed':
      return trans.__('Failed');
    case 'cancelled':
      return trans.__('Cancelled');
  }
}

function kindLabel(kind: JobKind, trans: TranslationBundle): string {
  return kind === 'update' ? trans.__('update') : trans.__('create');
}

function JobItem(
  props: JobList.IProps & { state: JobsModel.IJobState }
): JSX.Element {
  const { state, trans } = props;
  const { job } = state;
  const active = JobsModel.isActive(job);
  const [open, setOpen] = React.useState(active);
  const headingId = `jp-CondaEnvs-Job-${job.id}`;
  return (
    <li
      className="jp-CondaEnvs-Job"
      data-status={job.status}
      aria-labelledby={headingId}
    >
      <div className="jp-CondaEnvs-Job-header">
        <span
          className="jp-CondaEnvs-Job-name"
          id={headingId}
          title={job.prefix}
        >
          {job.name}
        </span>
        <span className="jp-CondaEnvs-Job-meta">
          {trans.__('%1 with %2', kindLabel(job.kind, trans), job.backend)}
        </span>
        <span className="jp-CondaEnvs-Job-status">
          {statusLabel(job.status, trans)}
        </span>
      </div>
      {active && <JobProgress job={job} trans={trans} />}
      {job.status === 'failed' && job.error && (
        <p className="jp-CondaEnvs-Job-failure" role="alert">
          {job.error}
        </p>
      )}
      {state.error && (
        <p className="jp-CondaEnvs-Job-problem" role="status">
          {state.error}
        </p>
      )}
      <details
        className="jp-CondaEnvs-Job-details"
        open={open}
        onToggle={event => {
          const isOpen = event.currentTarget.open;
          setOpen(isOpen);
          if (isOpen && !state.logLoaded) {
            props.onLoadLog(job.id);
          }
        }}
      >
        <summary className="jp-CondaEnvs-Job-summary">
          {trans._n('Log (%1 line)', 'Log (%1 lines)', job.log_size)}
        </summary>
        {open && <JobLog state={state} trans={trans} />}
      </details>
      <div className="jp-CondaEnvs-Job-actions">
        {active && (
          <button
            type="button"
            className="jp-CondaEnvs-Job-cancel jp-Button jp-mod-styled jp-mod-reject"
            disabled={state.cancelling}
            onClick={() => props.onCancel(job.id)}
          >
            {state.cancelling ? trans.__('Cancelling…') : trans.__('Cancel')}
          </button>
        )}
        {job.status === 'succeeded' && props.onNewNotebook && (
          <button
            type="button"
            className="jp-CondaEnvs-Job-notebook jp-Button jp-mod-styled jp-mod-accept"
            onClick={() => props.onNewNotebook?.(job)}
          >
            {trans.__('New notebook in %1', job.name)}
          </button>
        )}
        {!active && (
          <button
            type="button"
            className="jp-CondaEnvs-Job-dismiss jp-Button jp-mod-styled jp-mod-reject"
            aria-label={trans.__('Dismiss the job of %1', job.name)}
            onClick={() => props.onDismiss(job.id)}
          >
            {trans.__('Dismiss')}
          </button>
        )}
      </div>
    </li>
  );
}

function JobProgress(props: {
  job: Job;
  trans: TranslationBundle;
}): JSX.Element {
  const { job, trans } = props;
  const fraction =
    job.progress === null ? null : Math.min(Math.max(job.progress, 0), 1);
  const text =
    job.phase ??
    (job.status === 'queued'
      ? trans.__('Waiting for another job to finish…')
      : trans.__('Working…'));
  const percent = fraction === null ? '' : `${Math.round(fraction * 100)} %`;
  return (
    <div className="jp-CondaEnvs-Job-progress">
      {/* Without a value, a progress bar is indeterminate. */}
      <progress
        className="jp-CondaEnvs-Job-bar"
        max={1}
        value={fraction ?? undefined}
        aria-label={trans.__('Progress of %1', job.name)}
      />
      <span className="jp-CondaEnvs-Job-phase">
        {percent ? trans.__('%1 — %2', percent, text) : text}
      </span>
    </div>
  );
}

/**
 * The log, following its end while the user has not scrolled up.
 */
function JobLog(props: {
  state: JobsModel.IJobState;
  trans: TranslationBundle;
}): JSX.Element {
  const { state, trans } = props;
  const ref = React.useRef<HTMLPreElement>(null);
  const follow = React.useRef(true);
  React.useLayoutEffect(() => {
    const node = ref.current;
    if (node && follow.current) {
      node.scrollTop = node.scrollHeight;
    }
  }, [state.log]);
  const empty = state.logLoaded
    ? trans.__('No output yet.')
    : trans.__('Loading…');
  return (
    <>
      {state.truncated && (
        <p className="jp-CondaEnvs-Job-truncated">
          {trans.__('Earlier lines are not shown.')}
        </p>
      )}
      <pre
        ref={ref}
        className="jp-CondaEnvs-Job-log"
        tabIndex={0}
        aria-live="polite"
        aria-label={trans.__('Log of %1', state.job.name)}
        onScroll={event => {
          const node = event.currentTarget;
          follow.current =
            node.scrollTop + node.clientHeight >= node.scrollHeight - 4;
        }}
      >
        {state.log.length ? state.log.join('\n') : empty}
      </pre>
    </>
  );
}

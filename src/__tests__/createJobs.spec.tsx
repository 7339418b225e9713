import { nullTranslator } from '@jupyterlab/translation';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { act, fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';

import type { CondaEnvsClient } from '../client';
import type {
  Job,
  JobLogResponse,
  JobResponse,
  JobsResponse
} from '../jobs/api';
import { CompatModel } from '../compat/compatModel';
import { JobsModel } from '../jobs/jobsModel';
import { JobList } from '../jobs/jobsView';
import { EnvironmentsModel } from '../environments/model';
import { CondaEnvsPanel } from '../environments/panel';
import { RequestError } from '../core/request';
import { FakeClient, flush } from './fixtures';

const trans = nullTranslator.load('jupyterlab_conda_envs');

function makeJob(overrides: Partial<Job> = {}): Job {
  const name = overrides.name ?? 'llm';
  return {
    id: `job-${name}`,
    kind: 'create',
    name,
    prefix: `/opt/conda/envs/${name}`,
    backend: 'conda',
    status: 'running',
    progress: null,
    phase: null,
    error: '',
    created: 1700000000,
    started: 1700000001,
    finished: null,
    environment_id: null,
    log_size: 0,
    ...overrides
  };
}

function logOf(job: Job, log: string[], offset: number): JobLogResponse {
  return { job: { ...job, log_size: offset }, log, offset };
}

/**
 * A client whose job routes the test answers through jest mocks.
 */
function fakeClient(): {
  client: CondaEnvsClient;
  listJobs: jest.Mock<Promise<JobsResponse>, []>;
  getJob: jest.Mock<Promise<JobLogResponse>, [string, number]>;
  cancelJob: jest.Mock<Promise<JobResponse>, [string]>;
} {
  const listJobs = jest.fn<Promise<JobsResponse>, []>(() =>
    Promise.resolve({ jobs: [] })
  );
  const getJob = jest.fn<Promise<JobLogResponse>, [string, number]>();
  const cancelJob = jest.fn<Promise<JobResponse>, [string]>();
  const client = {
    listJobs,
    getJob,
    cancelJob
  } as unknown as CondaEnvsClient;
  return { client, listJobs, getJob, cancelJob };
}

/**
 * Let the poll timer fire and its answers land.
 */
async function tick(ms = JobsModel.POLL_INTERVAL): Promise<void> {
  await act(async () => {
    jest.advanceTimersByTime(ms);
    await flush();
  });
}

describe('JobsModel', () => {
  const models: JobsModel[] = [];

  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    while (models.length) {
      models.pop()?.dispose();
    }
    jest.useRealTimers();
  });

  function create(
    client: CondaEnvsClient,
    options: Partial<JobsModel.IOptions> = {}
  ): JobsModel {
    const model = new JobsModel({ client, ...options });
    models.push(model);
    return model;
  }

  it('lists the jobs of the server on load (a page reload) and polls only the active ones', async () => {
    const { client, listJobs, getJob } = fakeClient();
    const running = makeJob({ name: 'llm', created: 20 });
    const done = makeJob({
      name: 'old',
      status: 'succeeded',
      created: 10,
      log_size: 40
    });
    listJobs.mockResolvedValue({ jobs: [done, running] });
    getJob.mockImplementation((id, offset) =>
      Promise.resolve(logOf(running, ['Solving environment'], offset + 1))
    );
    const model = create(client);
    await model.load();
    expect(model.jobs.map(state => state.job.name)).toEqual(['llm', 'old']);
    expect(model.hasActive).toBe(true);
    await tick(0);
    expect(getJob.mock.calls).toEqual([['job-llm', 0]]);
    expect(model.get('job-llm')?.log).toEqual(['Solving environment']);
    // A finished job's log is read only when asked, once.
    getJob.mockResolvedValueOnce(logOf(done, ['a', 'b'], 40));
    await act(() => model.loadLog('job-old'));
    await act(() => model.loadLog('job-old'));
    expect(getJob.mock.calls.filter(call => call[0] === 'job-old')).toEqual([
      ['job-old', 0]
    ]);
    expect(model.get('job-old')?.log).toEqual(['a', 'b']);
    // 40 lines written, 2 still kept by the server: the rest are gone.
    expect(model.get('job-old')?.truncated).toBe(true);
  });

  it('tolerates a listing it cannot read', async () => {
    const { client, listJobs } = fakeClient();
    listJobs.mockRejectedValueOnce(new Error('boom'));
    const model = create(client);
    await model.load();
    expect(model.error).toContain('boom');
    expect(model.jobs).toEqual([]);
    expect(model.isPolling).toBe(false);
  });

  it('appends log lines by absolute offset, never twice', async () => {
    const { client, getJob } = fakeClient();
    const job = makeJob();
    const model = create(client);
    getJob.mockResolvedValueOnce(logOf(job, ['one', 'two'], 2));
    model.add(job);
    await tick(0);
    expect(model.get(job.id)?.log).toEqual(['one', 'two']);
    expect(model.get(job.id)?.offset).toBe(2);

    // Asked from 2; an answer that repeats line 2 adds only what is new.
    getJob.mockResolvedValueOnce(logOf(job, ['two', 'three'], 3));
    await tick();
    expect(getJob.mock.calls[1]).toEqual([job.id, 2]);
    expect(model.get(job.id)?.log).toEqual(['one', 'two', 'three']);

    // Nothing new: nothing added.
    getJob.mockResolvedValueOnce(logOf(job, [], 3));
    await tick();
    getJob.mockResolvedValueOnce(logOf(job, ['three'], 3));
    await tick();
    expect(model.get(job.id)?.log).toEqual(['one', 'two', 'three']);
    expect(model.get(job.id)?.truncated).toBe(false);

    // The server dropped lines 3..9: the gap is marked.
    getJob.mockResolvedValueOnce(logOf(job, ['ten'], 11));
    await tick();
    expect(model.get(job.id)?.log).toEqual(['one', 'two', 'three', 'ten']);
    expect(model.get(job.id)?.truncated).toBe(true);
    expect(getJob.mock.calls[getJob.mock.calls.length - 1]).toEqual([
      job.id,
      3
    ]);
  });

  it('keeps at most maxLogLines lines, the newest', async () => {
    const { client, getJob } = fakeClient();
    const job = makeJob();
    const model = create(client, { maxLogLines: 3 });
    getJob.mockResolvedValueOnce(logOf(job, ['1', '2', '3', '4', '5'], 5));
    model.add(job);
    await tick(0);
    expect(model.get(job.id)?.log).toEqual(['3', '4', '5']);
    expect(model.get(job.id)?.truncated).toBe(true);
    expect(model.get(job.id)?.offset).toBe(5);
  });

  it('stops polling when no job is active, and signals each finish once', async () => {
    const { client, getJob } = fakeClient();
    const job = makeJob();
    const model = create(client);
    const finished: Job[] = [];
    model.jobFinished.connect((_, done) => finished.push(done));

    getJob.mockResolvedValueOnce(
      logOf({ ...job, progress: 0.5, phase: 'Downloading' }, ['x'], 1)
    );
    model.add(job);
    await tick(0);
    expect(model.get(job.id)?.job.progress).toBe(0.5);
    expect(model.isPolling).toBe(true);
    expect(finished).toEqual([]);

    const succeeded = {
      ...job,
      status: 'succeeded' as const,
      environment_id: 'id-llm'
    };
    getJob.mockResolvedValueOnce(logOf(succeeded, ['done'], 2));
    await tick();
    expect(finished.map(done => done.status)).toEqual(['succeeded']);
    expect(finished[0].environment_id).toBe('id-llm');
    expect(model.hasActive).toBe(false);
    expect(model.isPolling).toBe(false);
    expect(jest.getTimerCount()).toBe(0);

    const calls = getJob.mock.calls.length;
    await tick(10 * JobsModel.POLL_INTERVAL);
    expect(getJob.mock.calls.length).toBe(calls);
    // Later answers about the same job do not signal again.
    model.add(succeeded);
    await tick();
    expect(finished).toHaveLength(1);
  });

  it('does not signal jobs that had finished before the page loaded', async () => {
    const { client, listJobs } = fakeClient();
    listJobs.mockResolvedValue({
      jobs: [makeJob({ status: 'failed', error: 'solver failed' })]
    });
    const model = create(client);
    const finished = jest.fn();
    model.jobFinished.connect(finished);
    await model.load();
    await tick();
    expect(finished).not.toHaveBeenCalled();
    expect(model.isPolling).toBe(false);
  });

  it('cancels a job and signals the cancellation', async () => {
    const { client, getJob, cancelJob } = fakeClient();
    const job = makeJob();
    const model = create(client);
    const finished = jest.fn();
    model.jobFinished.connect((_, done) => finished(done.status));
    getJob.mockResolvedValue(logOf(job, [], 0));
    model.add(job);
    await tick(0);

    let release: (value: JobResponse) => void = () => undefined;
    cancelJob.mockReturnValueOnce(
      new Promise<JobResponse>(resolve => {
        release = resolve;
      })
    );
    const cancelling = model.cancel(job.id);
    expect(cancelJob).toHaveBeenCalledWith(job.id);
    expect(model.get(job.id)?.cancelling).toBe(true);
    release({ job: { ...job, status: 'cancelled' } });
    await act(() => cancelling);
    expect(model.get(job.id)?.cancelling).toBe(false);
    expect(model.get(job.id)?.job.status).toBe('cancelled');
    expect(finished.mock.calls).toEqual([['cancelled']]);
    // A finished job is not cancelled again.
    await model.cancel(job.id);
    expect(cancelJob).toHaveBeenCalledTimes(1);
  });

  it('reports a cancel the server refused', async () => {
    const { client, getJob, cancelJob } = fakeClient();
    const job = makeJob();
    const model = create(client);
    getJob.mockResolvedValue(logOf(job, [], 0));
    model.add(job);
    cancelJob.mockRejectedValueOnce(
      new RequestError({ message: 'forbidden', status: 403, url: '' })
    );
    await model.cancel(job.id);
    expect(model.get(job.id)?.error).toContain('forbidden');
    expect(model.get(job.id)?.cancelling).toBe(false);
  });

  it('stops following a job the server forgot, and backs off while it does not answer', async () => {
    const { client, getJob } = fakeClient();
    const lost = makeJob({ name: 'lost' });
    const model = create(client);
    getJob.mockRejectedValueOnce(
      new RequestError({ message: 'unknown job', status: 404, url: '' })
    );
    model.add(lost);
    await tick(0);
    expect(model.get(lost.id)?.lost).toBe(true);
    expect(model.isPolling).toBe(false);

    const flaky = makeJob({ name: 'flaky' });
    getJob.mockRejectedValue(
      new RequestError({ message: 'offline', status: 0, url: '' })
    );
    model.add(flaky);
    await tick(0);
    expect(model.get(flaky.id)?.error).toContain('offline');
    const calls = getJob.mock.calls.length;
    // The next try waits twice the interval.
    await tick(JobsModel.POLL_INTERVAL);
    expect(getJob.mock.calls.length).toBe(calls);
    await tick(JobsModel.POLL_INTERVAL);
    expect(getJob.mock.calls.length).toBe(calls + 1);
  });

  it('dismisses finished jobs only, and stops its timer on dispose', async () => {
    const { client, getJob } = fakeClient();
    const model = create(client);
    getJob.mockImplementation(id =>
      Promise.resolve(logOf(makeJob({ name: id.slice(4) }), [], 0))
    );
    model.add(makeJob({ name: 'a', status: 'failed', created: 1 }));
    model.add(makeJob({ name: 'b', created: 2 }));
    model.dismiss('job-b');
    expect(model.jobs).toHaveLength(2);
    model.dismissFinished();
    expect(model.jobs.map(state => state.job.name)).toEqual(['b']);
    expect(jest.getTimerCount()).toBe(1);
    model.dispose();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('JobList', () => {
  function state(
    job: Job,
    overrides: Partial<JobsModel.IJobState> = {}
  ): JobsModel.IJobState {
    return {
      job,
      log: [],
      offset: 0,
      truncated: false,
      logLoaded: true,
      cancelling: false,
      lost: false,
      error: '',
      ...overrides
    };
  }

  function show(
    jobs: JobsModel.IJobState[],
    props: Partial<JobList.IProps> = {}
  ): {
    container: HTMLElement;
    onCancel: jest.Mock;
    onNewNotebook: jest.Mock;
    onLoadLog: jest.Mock;
    onDismiss: jest.Mock;
  } {
    const onCancel = jest.fn();
    const onNewNotebook = jest.fn();
    const onLoadLog = jest.fn();
    const onDismiss = jest.fn();
    const { container } = render(
      <JobList
        jobs={jobs}
        onCancel={onCancel}
        onLoadLog={onLoadLog}
        onDismiss={onDismiss}
        onNewNotebook={onNewNotebook}
        trans={trans}
        {...props}
      />
    );
    return { container, onCancel, onNewNotebook, onLoadLog, onDismiss };
  }

  it('renders nothing without jobs', () => {
    expect(show([]).container.innerHTML).toBe('');
  });

  it('shows progress, the phase and a Cancel button while a job runs', () => {
    const job = makeJob({ progress: 0.42, phase: 'Downloading packages' });
    const { container, onCancel } = show([
      state(job, { log: ['line 1', 'line 2'] })
    ]);
    const bar = container.querySelector('progress');
    expect(bar?.getAttribute('value')).toBe('0.42');
    expect(screen.getByText('42 % — Downloading packages')).toBeTruthy();
    expect(
      container.querySelector('.jp-CondaEnvs-Job-status')?.textContent
    ).toBe('Running');
    expect(container.querySelector('.jp-CondaEnvs-Job-meta')?.textContent).toBe(
      'create with conda'
    );
    // The log of a running job is open, live and focusable.
    const log = container.querySelector('pre');
    expect(log?.textContent).toBe('line 1\nline 2');
    expect(log?.getAttribute('aria-live')).toBe('polite');
    expect(container.querySelector('details')?.open).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledWith(job.id);
    expect(screen.queryByText(/New notebook/)).toBeNull();
  });

  it('shows an indeterminate bar when the tool reports no progress', () => {
    const { container } = show([state(makeJob({ status: 'queued' }))]);
    const bar = container.querySelector('progress');
    expect(bar).not.toBeNull();
    expect(bar?.hasAttribute('value')).toBe(false);
    expect(screen.getByText('Waiting for another job to finish…')).toBeTruthy();
  });

  it('disables Cancel while a cancel is on its way', () => {
    show([state(makeJob(), { cancelling: true })]);
    const button = screen.getByRole('button', { name: 'Cancelling…' });
    expect((button as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the error of a failed job, and no Cancel', () => {
    const { container } = show([
      state(makeJob({ status: 'failed', error: 'PackagesNotFoundError: foo' }))
    ]);
    expect(screen.getByRole('alert').textContent).toBe(
      'PackagesNotFoundError: foo'
    );
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(container.querySelector('progress')).toBeNull();
  });

  it('offers a notebook in the environment a job created', () => {
    const job = makeJob({ status: 'succeeded', environment_id: 'id-llm' });
    const { onNewNotebook, onDismiss } = show([state(job)]);
    fireEvent.click(
      screen.getByRole('button', { name: 'New notebook in llm' })
    );
    expect(onNewNotebook).toHaveBeenCalledWith(job);
    fireEvent.click(
      screen.getByRole('button', { name: 'Dismiss the job of llm' })
    );
    expect(onDismiss).toHaveBeenCalledWith(job.id);
  });

  it('reads the log of a finished job when it is opened', () => {
    const job = makeJob({ status: 'succeeded', log_size: 12 });
    const { container, onLoadLog } = show([state(job, { logLoaded: false })]);
    const details = container.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(screen.getByText('Log (12 lines)')).toBeTruthy();
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(onLoadLog).toHaveBeenCalledWith(job.id);
  });

  it('renders names, errors and log lines as text', () => {
    const name = '<img src=x onerror="alert(1)">';
    const job = makeJob({
      name,
      status: 'failed',
      error: '<b>bold</b>'
    });
    const { container } = show([
      state(job, { log: ['<script>alert(2)</script>', '&amp;'] })
    ]);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('.jp-CondaEnvs-Job-name')?.textContent).toBe(
      name
    );
    const details = container.querySelector('details') as HTMLDetailsElement;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    expect(container.querySelector('pre')?.textContent).toBe(
      '<script>alert(2)</script>\n&amp;'
    );
  });
});

describe('the jobs section of the panel', () => {
  it('is there only while there are jobs, with "New environment from file…" in the toolbar', async () => {
    jest.useFakeTimers();
    const client = new FakeClient();
    const getJob = jest.fn(() => new Promise<JobLogResponse>(() => undefined));
    client.getJob = getJob;
    const model = new EnvironmentsModel({ client, refreshInterval: 0 });
    const compat = new CompatModel({ client, environments: model });
    const jobs = new JobsModel({ client });
    const onCreate = jest.fn();
    const panel = new CondaEnvsPanel({
      model,
      compat,
      jobs,
      onCreate,
      actions: { useKernel: jest.fn(), newNotebook: jest.fn() }
    });
    try {
      const sections = (): string[] =>
        panel.widgets.map(widget => widget.title.label);
      expect(sections()).toEqual(['Environments']);
      await act(async () => {
        Widget.attach(panel, document.body);
        await flush();
      });
      // The section toolbar's button is a <jp-button> web component.
      const create = panel.node.querySelector<HTMLElement>(
        '.jp-CondaEnvs-Panel-create'
      );
      expect(create).not.toBeNull();
      act(() => {
        fireEvent.click(create as HTMLElement);
        MessageLoop.flush();
      });
      expect(onCreate).toHaveBeenCalledTimes(1);

      await act(async () => {
        jobs.add(makeJob({ status: 'failed', error: 'x' }));
        await flush();
      });
      expect(sections()).toEqual(['Environments', 'Jobs']);
      await act(async () => {
        jobs.dismissFinished();
        await flush();
      });
      expect(sections()).toEqual(['Environments']);
    } finally {
      act(() => panel.dispose());
      jobs.dispose();
      compat.dispose();
      model.dispose();
      jest.useRealTimers();
    }
  });
});

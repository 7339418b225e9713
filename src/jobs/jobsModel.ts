import type { ITranslator } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { RequestError } from '../core/request';
import { describeError, ServerModel } from '../core/serverModel';
import type { Job, JobLogResponse, JobsClient } from './api';
import { appendLog } from './jobLog';

/**
 * The create and update jobs of the server, kept current while any runs.
 *
 * The server keeps the jobs: `load` lists them, so a page reload finds the
 * running ones again. While a job is queued or running it is polled
 * (`getJob` from the log offset already read); when none is, polling stops.
 */
export class JobsModel extends ServerModel {
  constructor(options: JobsModel.IOptions) {
    super(options);
    this._client = options.client;
    this._interval = options.interval ?? JobsModel.POLL_INTERVAL;
    this._maxLines = Math.max(
      1,
      options.maxLogLines ?? JobsModel.MAX_LOG_LINES
    );
  }

  /**
   * Every job known, newest first (dismissed ones left out).
   */
  get jobs(): ReadonlyArray<JobsModel.IJobState> {
    return this._order
      .map(id => this._states.get(id))
      .filter((state): state is JobsModel.IJobState => !!state);
  }

  /**
   * One job's state, if it is known.
   */
  get(id: string): JobsModel.IJobState | undefined {
    return this._states.get(id);
  }

  /**
   * Whether any job is queued or running.
   */
  get hasActive(): boolean {
    return this.jobs.some(state => JobsModel.isActive(state.job));
  }

  /**
   * Whether the model is waiting to poll the active jobs.
   */
  get isPolling(): boolean {
    return this.timerPending || this._inFlight;
  }

  /**
   * Why listing the jobs failed; `''` when it did not.
   */
  get error(): string {
    return this._error;
  }

  /**
   * Emitted once per job, with the job, when it is seen to move from queued
   * or running to succeeded, failed or cancelled.
   */
  get jobFinished(): ISignal<this, Job> {
    return this._jobFinished;
  }

  /**
   * List the server's jobs (at start: they survive a page reload) and poll
   * the active ones. Never rejects.
   */
  async load(): Promise<void> {
    try {
      const response = await this._client.listJobs();
      if (this.isDisposed) {
        return;
      }
      this._error = '';
      for (const job of Array.isArray(response?.jobs) ? response.jobs : []) {
        this._applyJob(job);
      }
    } catch (reason) {
      if (this.isDisposed) {
        return;
      }
      this._error = this.trans.__(
        'Could not list the jobs: %1',
        describeError(reason)
      );
    }
    this.stateChanged.emit();
    this._schedule(0);
  }

  /**
   * Follow a job that was just submitted: its progress is polled at once.
   */
  add(job: Job): void {
    if (this.isDisposed) {
      return;
    }
    this._dismissed.delete(job.id);
    this._applyJob(job);
    this.stateChanged.emit();
    this._schedule(0);
  }

  /**
   * Ask the server to cancel a job. Never rejects: a failure lands in the
   * job's `error`.
   */
  async cancel(id: string): Promise<void> {
    const state = this._states.get(id);
    if (!state || !JobsModel.isActive(state.job)) {
      return;
    }
    this._update(id, { cancelling: true, error: '' });
    try {
      const { job } = await this._client.cancelJob(id);
      if (this.isDisposed) {
        return;
      }
      this._applyJob(job);
      this._update(id, { cancelling: false });
    } catch (reason) {
      if (this.isDisposed) {
        return;
      }
      this._update(id, {
        cancelling: false,
        error: this.trans.__('Could not cancel: %1', describeError(reason))
      });
    }
    // Cancelling takes a moment on the server (SIGINT, then cleanup).
    this._schedule(0);
  }

  /**
   * Read the log of a job this page did not follow (finished before the
   * page loaded), once. Never rejects.
   */
  async loadLog(id: string): Promise<void> {
    const state = this._states.get(id);
    if (
      !state ||
      JobsModel.isActive(state.job) ||
      state.logLoaded ||
      this._fetching.has(id)
    ) {
      return;
    }
    await this._fetch(id);
  }

  /**
   * Hide a finished job from the list (this page only: the server keeps it).
   */
  dismiss(id: string): void {
    const state = this._states.get(id);
    if (!state || JobsModel.isActive(state.job)) {
      return;
    }
    this._dismissed.add(id);
    this._states.delete(id);
    this._order = this._order.filter(other => other !== id);
    this.stateChanged.emit();
  }

  /**
   * Hide every finished job (this page only).
   */
  dismissFinished(): void {
    for (const state of this.jobs) {
      if (!JobsModel.isActive(state.job)) {
        this._dismissed.add(state.job.id);
        this._states.delete(state.job.id);
      }
    }
    this._order = this._order.filter(id => this._states.has(id));
    this.stateChanged.emit();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._states.clear();
    Signal.clearData(this);
    super.dispose();
  }

  /**
   * Poll again after `delay` ms unless a poll is pending or nothing runs.
   */
  private _schedule(delay: number = this._interval): void {
    if (this.isDisposed || this.timerPending || this._inFlight) {
      return;
    }
    if (!this._activeIds().length) {
      return;
    }
    this.setTimer(() => void this._tick(), delay);
  }

  private async _tick(): Promise<void> {
    const ids = this._activeIds();
    if (!ids.length || this.isDisposed) {
      return;
    }
    this._inFlight = true;
    let failed = false;
    try {
      const results = await Promise.all(ids.map(id => this._fetch(id)));
      failed = results.includes(false);
    } finally {
      this._inFlight = false;
    }
    // While the server does not answer, ask less often.
    this._failures = failed ? this._failures + 1 : 0;
    const delay = Math.min(
      this._interval * 2 ** this._failures,
      JobsModel.MAX_INTERVAL
    );
    this._schedule(delay);
  }

  /**
   * Fetch one job and its new log lines; resolves to whether it answered.
   */
  private async _fetch(id: string): Promise<boolean> {
    const state = this._states.get(id);
    if (!state || this._fetching.has(id)) {
      return true;
    }
    this._fetching.add(id);
    const offset = state.offset;
    try {
      const response = await this._client.getJob(id, offset);
      if (!this.isDisposed && this._states.has(id)) {
        this._applyLog(id, response);
        this._applyJob(response.job);
        this._update(id, { logLoaded: true, lost: false });
      }
      return true;
    } catch (reason) {
      if (this.isDisposed || !this._states.has(id)) {
        return true;
      }
      if (reason instanceof RequestError && reason.status === 404) {
        // The server forgot the job (it restarted): stop asking.
        this._update(id, {
          lost: true,
          error: this.trans.__(
            'The server no longer knows this job (was it restarted?).'
          )
        });
        return true;
      }
      this._update(id, {
        error: this.trans.__(
          'Could not read the job: %1',
          describeError(reason)
        )
      });
      return false;
    } finally {
      this._fetching.delete(id);
    }
  }

  /**
   * Append the lines of an answer that are not kept yet.
   */
  private _applyLog(id: string, response: JobLogResponse): void {
    const state = this._states.get(id);
    if (state) {
      this._states.set(id, appendLog(state, response, this._maxLines));
    }
  }

  /**
   * Store a job as the server reported it; emit `jobFinished` when it is
   * seen leaving queued/running.
   */
  private _applyJob(job: Job): void {
    if (this._dismissed.has(job.id)) {
      return;
    }
    const previous = this._states.get(job.id);
    if (!previous) {
      this._states.set(job.id, {
        job,
        log: [],
        offset: 0,
        truncated: false,
        logLoaded: false,
        cancelling: false,
        lost: false,
        error: ''
      });
      this._order = [job.id, ...this._order];
      this._order.sort(
        (a, b) =>
          (this._states.get(b)?.job.created ?? 0) -
          (this._states.get(a)?.job.created ?? 0)
      );
      return;
    }
    this._states.set(job.id, { ...previous, job, error: '' });
    if (JobsModel.isActive(previous.job) && !JobsModel.isActive(job)) {
      this.stateChanged.emit();
      this._jobFinished.emit(job);
    }
  }

  private _update(id: string, change: Partial<JobsModel.IJobState>): void {
    const state = this._states.get(id);
    if (!state) {
      return;
    }
    this._states.set(id, { ...state, ...change });
    this.stateChanged.emit();
  }

  private _activeIds(): string[] {
    return this.jobs
      .filter(state => JobsModel.isActive(state.job) && !state.lost)
      .map(state => state.job.id);
  }

  private _client: JobsClient;
  private _interval: number;
  private _maxLines: number;
  private _states = new Map<string, JobsModel.IJobState>();
  private _order: string[] = [];
  private _dismissed = new Set<string>();
  private _fetching = new Set<string>();
  private _inFlight = false;
  private _failures = 0;
  private _error = '';
  private _jobFinished = new Signal<this, Job>(this);
}

export namespace JobsModel {
  export interface IOptions {
    client: JobsClient;
    /** Milliseconds between polls while a job is active; default 500. */
    interval?: number;
    /** Log lines kept per job (the newest); default 2000. */
    maxLogLines?: number;
    translator?: ITranslator;
  }

  /**
   * What the page knows of one job.
   */
  export interface IJobState {
    /** The job as the server last reported it. */
    job: Job;
    /** The newest log lines read (at most `maxLogLines`). */
    log: string[];
    /** The absolute offset of the next log line to read. */
    offset: number;
    /** Whether earlier lines are missing from `log`. */
    truncated: boolean;
    /** Whether the log was read at least once. */
    logLoaded: boolean;
    /** A cancel request is on its way. */
    cancelling: boolean;
    /** The server answered 404 for it: it is no longer followed. */
    lost: boolean;
    /** The last failure to read or cancel it; `''` when none. */
    error: string;
  }

  export const POLL_INTERVAL = 500;

  /**
   * The longest wait between polls while the server does not answer.
   */
  export const MAX_INTERVAL = 8000;

  export const MAX_LOG_LINES = 2000;

  /**
   * Whether a job is still to finish.
   */
  export function isActive(job: Job): boolean {
    return job.status === 'queued' || job.status === 'running';
  }
}

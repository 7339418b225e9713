import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { RequestError } from '../core/request';
import { describeError, ServerModel } from '../core/serverModel';
import type {
  EnvironmentsClient,
  EnvironmentSummary,
  SkippedEnvironment
} from './api';

/**
 * The environment listing: nothing is requested until `ensureLoaded` (the
 * panel is first shown), then a `Poll` keeps it fresh while the panel is
 * visible; a failed poll backs off. `EnvironmentsModel` adds what the panel
 * shows of it (filter, open environment, packages, the notebook's project).
 */
export class ListingModel extends ServerModel {
  constructor(options: ListingModel.IOptions) {
    super(options);
    this._client = options.client;
    this._refreshInterval = Private.validInterval(
      options.refreshInterval ?? ListingModel.DEFAULT_REFRESH_INTERVAL
    );
    this._poll = new Poll({
      auto: false,
      factory: () => this._onPollTick(),
      frequency: Private.frequency(this._refreshInterval),
      name: 'jupyterlab-conda-envs:environments',
      // Rest while the panel is collapsed, and while the browser tab is hidden.
      standby: () => !this._panelVisible || 'when-hidden'
    });
  }

  /**
   * Where the environment listing stands.
   */
  get status(): ListingModel.Status {
    return this._status;
  }

  /**
   * The last listing error, for the user to read; `''` when there is none.
   */
  get error(): string {
    return this._error;
  }

  /**
   * Whether a listing request is in flight (also while data is shown).
   */
  get isRefreshing(): boolean {
    return this._isRefreshing;
  }

  /**
   * Every environment from the last successful listing.
   */
  get environments(): ReadonlyArray<EnvironmentSummary> {
    return this._environments;
  }

  /**
   * Locations named as environments that the server did not list, and why.
   */
  get skipped(): ReadonlyArray<SkippedEnvironment> {
    return this._skipped;
  }

  /**
   * The realpath of the server's own prefix, once listed.
   */
  get serverPrefix(): string | null {
    return this._serverPrefix;
  }

  /**
   * Emitted when a listing differs from the one before in which environments
   * exist or which kernels they give: the kernelspecs JupyterLab caches (in
   * the launcher and the kernel picker) are out of date.
   */
  get kernelsChanged(): ISignal<this, void> {
    return this._kernelsChanged;
  }

  /**
   * Seconds between automatic refreshes of the listing; 0 turns them off.
   */
  get refreshInterval(): number {
    return this._refreshInterval;
  }
  set refreshInterval(seconds: number) {
    const valid = Private.validInterval(seconds);
    if (valid === this._refreshInterval) {
      return;
    }
    this._refreshInterval = valid;
    this._poll.frequency = Private.frequency(valid);
    this.reschedulePoll();
  }

  /**
   * Whether the panel is on screen; the poll rests while it is not.
   */
  get panelVisible(): boolean {
    return this._panelVisible;
  }
  set panelVisible(value: boolean) {
    this._panelVisible = value;
  }

  /**
   * Load the listing (and the current notebook's project environment) the
   * first time it is needed and start polling.
   *
   * Later calls return at once: the poll and `refresh` keep it current.
   */
  ensureLoaded(): Promise<void> {
    if (!this._pollStarted) {
      this._pollStarted = true;
      return this.refresh();
    }
    return Promise.resolve();
  }

  /**
   * Whether `ensureLoaded` was called: the model is in use.
   */
  protected get loadStarted(): boolean {
    return this._pollStarted;
  }

  /**
   * Load the listing now. Never rejects: failures become `status` and
   * `error`.
   */
  async refresh(): Promise<void> {
    // The next automatic refresh is one interval from this one.
    this.reschedulePoll();
    await this.loadListing();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
    super.dispose();
  }

  /**
   * Request the listing; resolves to whether it succeeded (or was superseded).
   */
  protected async loadListing(): Promise<boolean> {
    const ticket = this.nextTicket();
    this._listingTicket = ticket;
    this._isRefreshing = true;
    if (this._status === 'idle') {
      this._status = 'loading';
    }
    this.stateChanged.emit();

    try {
      const response = await this._client.listEnvironments();
      if (this.isDisposed || ticket !== this._listingTicket) {
        // A newer refresh was started: its answer is the one to show.
        return true;
      }
      this._applyListing(
        response.environments,
        response.skipped,
        response.server_prefix
      );
      return true;
    } catch (reason) {
      if (this.isDisposed || ticket !== this._listingTicket) {
        return true;
      }
      if (Private.isServerMissing(reason)) {
        this._status = 'server-extension-missing';
        this._error = this.trans.__(
          'The conda environments server extension is not answering. Run "%1" and restart JupyterLab.',
          ListingModel.ENABLE_COMMAND
        );
      } else {
        this._status = 'error';
        this._error = this.trans.__(
          'Could not list the conda environments: %1',
          describeError(reason)
        );
      }
      return false;
    } finally {
      if (!this.isDisposed && ticket === this._listingTicket) {
        this._isRefreshing = false;
        this.stateChanged.emit();
      }
    }
  }

  private _applyListing(
    environments: EnvironmentSummary[],
    skipped: SkippedEnvironment[],
    serverPrefix: string
  ): void {
    const before = this._environments;
    this._environments = environments;
    this._skipped = skipped;
    this._serverPrefix = serverPrefix;
    this._status = 'loaded';
    this._error = '';
    this.listingApplied(before, environments);
    const kernelsKey = Private.kernelsKey(environments);
    const kernelsMoved =
      this._kernelsKey !== null && kernelsKey !== this._kernelsKey;
    this._kernelsKey = kernelsKey;
    if (kernelsMoved) {
      this._kernelsChanged.emit();
      this.kernelsMoved();
    }
  }

  /**
   * A new listing is in place (nothing emitted yet): bring what depends on
   * it in line.
   */
  protected listingApplied(
    before: ReadonlyArray<EnvironmentSummary>,
    after: ReadonlyArray<EnvironmentSummary>
  ): void {
    // Nothing here; the environments model drops stale package lists.
  }

  /**
   * `kernelsChanged` was just emitted.
   */
  protected kernelsMoved(): void {
    // Nothing here; the environments model reloads the project environment.
  }

  private async _onPollTick(): Promise<void> {
    const ok = await this.loadListing();
    if (!ok) {
      // Rejecting makes the poll back off while the server is unhappy.
      throw new Error(this._error);
    }
  }

  protected reschedulePoll(): void {
    if (this._pollStarted && !this._poll.isDisposed) {
      void this._poll.schedule({ interval: this._poll.frequency.interval });
    }
  }

  private _client: EnvironmentsClient;
  private _poll: Poll;
  private _pollStarted = false;
  private _panelVisible = false;
  private _refreshInterval: number;
  private _status: ListingModel.Status = 'idle';
  private _error = '';
  private _isRefreshing = false;
  private _listingTicket = 0;
  private _environments: EnvironmentSummary[] = [];
  private _skipped: SkippedEnvironment[] = [];
  private _serverPrefix: string | null = null;
  private _kernelsKey: string | null = null;
  private _kernelsChanged = new Signal<this, void>(this);
}

export namespace ListingModel {
  export interface IOptions extends ServerModel.IOptions {
    /**
     * The client of the server extension.
     */
    client: EnvironmentsClient;
    /**
     * Seconds between automatic refreshes; 0 turns them off. Default 60.
     */
    refreshInterval?: number;
  }

  /**
   * Where the listing stands: `idle` before the first load, then the outcome
   * of the latest request (data from an earlier success stays available).
   */
  export type Status =
    'idle' | 'loading' | 'loaded' | 'error' | 'server-extension-missing';

  export const DEFAULT_REFRESH_INTERVAL = 60;

  /**
   * What the user runs when the server extension is not enabled.
   */
  export const ENABLE_COMMAND =
    'jupyter server extension enable jupyterlab_conda_envs';
}

namespace Private {
  /**
   * Seconds as a whole non-negative number; anything else turns polling off.
   */
  export function validInterval(seconds: number): number {
    return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : 0;
  }

  /**
   * The poll frequency for an interval in seconds (0 = never).
   */
  export function frequency(seconds: number): IPoll.Frequency {
    if (seconds <= 0) {
      return { interval: Poll.NEVER, backoff: false, max: Poll.NEVER };
    }
    const interval = Math.min(seconds * 1000, Poll.MAX_INTERVAL);
    return {
      interval,
      backoff: true,
      max: Math.min(interval * 10, Poll.MAX_INTERVAL)
    };
  }

  /**
   * Whether a listing failure means the server extension is not there: the
   * listing route always exists when it is, so a 404 or no answer says so.
   */
  export function isServerMissing(reason: unknown): boolean {
    return (
      reason instanceof RequestError &&
      (reason.status === 404 || reason.isNetworkError)
    );
  }

  /**
   * Which environments exist and which kernels each gives, as one string
   * that changes exactly when that set does (order does not matter).
   */
  export function kernelsKey(
    environments: ReadonlyArray<EnvironmentSummary>
  ): string {
    const entries = environments.map(env =>
      JSON.stringify([env.id, env.kernels.map(kernel => kernel.name).sort()])
    );
    return entries.sort().join('\n');
  }
}

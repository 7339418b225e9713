import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  EnvironmentsClient,
  EnvironmentSummary,
  PackageFileError,
  PackageRecord,
  SkippedEnvironment
} from './api';
import { KernelsClient, ProjectResponse } from '../kernels/api';
import { environmentMatches, IPage, packageMatches, paginate } from './filters';
import { environmentOfKernel } from '../kernels/kernelEnvironment';
import { RequestError } from '../core/request';

/**
 * The state of the environments panel.
 *
 * Like JupyterLab's extension manager model: private state behind getters,
 * `stateChanged` on every change, nothing loaded until the panel is first
 * shown (`ensureLoaded`), then a `Poll` keeps the listing fresh.
 */
export class EnvironmentsModel extends VDomModel {
  constructor(options: EnvironmentsModel.IOptions) {
    super();
    this._client = options.client;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_conda_envs'
    );
    this._refreshInterval = Private.validInterval(
      options.refreshInterval ?? EnvironmentsModel.DEFAULT_REFRESH_INTERVAL
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
  get status(): EnvironmentsModel.Status {
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
   * The environments that match `filter`.
   */
  get filteredEnvironments(): EnvironmentSummary[] {
    return this._environments.filter(env =>
      environmentMatches(env, this._filter)
    );
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
   * The environment filter text.
   */
  get filter(): string {
    return this._filter;
  }
  set filter(value: string) {
    if (value === this._filter) {
      return;
    }
    this._filter = value;
    this.stateChanged.emit();
  }

  /**
   * The id of the environment whose details are open, if any.
   *
   * Opening one loads its packages once (they are cached).
   */
  get expandedId(): string | null {
    return this._expandedId;
  }
  set expandedId(id: string | null) {
    if (id === this._expandedId) {
      return;
    }
    this._expandedId = id;
    this._packagePage = 0;
    this.stateChanged.emit();
    if (id !== null && !this._packages.has(id)) {
      void this.loadPackages(id);
    }
  }

  /**
   * Open an environment's details, or close them if they are open.
   */
  toggleExpanded(id: string): void {
    this.expandedId = this._expandedId === id ? null : id;
  }

  /**
   * The package search text, shared by every environment's package table.
   */
  get packageSearch(): string {
    return this._packageSearch;
  }
  set packageSearch(value: string) {
    if (value === this._packageSearch) {
      return;
    }
    this._packageSearch = value;
    this._packagePage = 0;
    this.stateChanged.emit();
  }

  /**
   * The zero-based page of the open package table.
   */
  get packagePage(): number {
    return this._packagePage;
  }
  set packagePage(value: number) {
    const page = Math.max(0, Math.floor(value));
    if (page === this._packagePage) {
      return;
    }
    this._packagePage = page;
    this.stateChanged.emit();
  }

  /**
   * The cached package state of an environment, if it was ever requested.
   */
  packagesOf(id: string): EnvironmentsModel.IPackagesState | undefined {
    return this._packages.get(id);
  }

  /**
   * The page of an environment's packages that match `packageSearch`.
   */
  packagePageOf(id: string): IPage<PackageRecord> {
    const packages = this._packages.get(id)?.packages ?? [];
    const matching = packages.filter(pkg =>
      packageMatches(pkg, this._packageSearch)
    );
    return paginate(
      matching,
      this._packagePage,
      EnvironmentsModel.PACKAGES_PER_PAGE
    );
  }

  /**
   * Whether a notebook is the current widget, so its kernel can be changed.
   */
  get notebookOpen(): boolean {
    return this._notebookOpen;
  }
  set notebookOpen(value: boolean) {
    if (value === this._notebookOpen) {
      return;
    }
    this._notebookOpen = value;
    this.stateChanged.emit();
  }

  /**
   * The kernelspec name of the current notebook's kernel, if any.
   */
  get activeKernelName(): string | null {
    return this._activeKernelName;
  }
  set activeKernelName(value: string | null) {
    if (value === this._activeKernelName) {
      return;
    }
    this._activeKernelName = value;
    this.stateChanged.emit();
  }

  /**
   * The id of the environment the current notebook's kernel runs in, if known.
   */
  get activeEnvId(): string | null {
    return (
      environmentOfKernel(this._environments, this._activeKernelName)?.id ??
      null
    );
  }

  /**
   * The server-root-relative path of the current notebook; null when no
   * notebook is current.
   *
   * A new path loads its project environment, once the model is in use (a
   * model nobody has shown yet asks the server nothing).
   */
  get notebookPath(): string | null {
    return this._notebookPath;
  }
  set notebookPath(value: string | null) {
    if (value === this._notebookPath) {
      return;
    }
    this._notebookPath = value;
    // An answer still on its way is about the previous notebook.
    this._projectTicket = Private.nextTicket();
    this._project = {
      path: value,
      status: 'idle',
      response: null,
      error: ''
    };
    this.stateChanged.emit();
    if (value !== null && this._pollStarted) {
      void this.loadProject();
    }
  }

  /**
   * The project environment of the current notebook, as far as it is known.
   */
  get project(): EnvironmentsModel.IProjectState {
    return this._project;
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
   * The environment whose row the list should scroll to and focus, once it
   * is rendered; see `reveal`.
   */
  get revealId(): string | null {
    return this._revealId;
  }

  /**
   * Open an environment's details and ask the list to bring its row into
   * view and focus it.
   */
  reveal(id: string): void {
    const env = this._environments.find(candidate => candidate.id === id);
    if (env && !environmentMatches(env, this._filter)) {
      // A filter that hides the row would make the reveal a no-op.
      this._filter = '';
    }
    this._revealId = id;
    this.expandedId = id;
    this.stateChanged.emit();
  }

  /**
   * The list has shown the row of `id`: the reveal is done.
   */
  revealDone(id: string): void {
    if (this._revealId === id) {
      this._revealId = null;
    }
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
    this._reschedulePoll();
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
   * Load the listing now, and reload the open environment's packages and the
   * current notebook's project environment.
   *
   * Never rejects: failures become `status` and `error`.
   */
  async refresh(): Promise<void> {
    // The next automatic refresh is one interval from this one.
    this._reschedulePoll();
    const expanded = this._expandedId;
    // An explicit refresh drops every package cache: the user asked for news.
    for (const id of Array.from(this._packages.keys())) {
      if (id !== expanded) {
        this._packages.delete(id);
      }
    }
    const work: Promise<unknown>[] = [this._loadListing()];
    if (expanded !== null) {
      work.push(this.loadPackages(expanded));
    }
    if (this._notebookPath !== null) {
      work.push(this.loadProject());
    }
    await Promise.all(work);
  }

  /**
   * Load (or reload) the project environment of the current notebook.
   *
   * Never rejects: failures land in `project.error`. While it reloads, the
   * previous answer for the same notebook stays available.
   */
  async loadProject(): Promise<void> {
    const path = this._notebookPath;
    if (path === null) {
      return;
    }
    const ticket = Private.nextTicket();
    this._projectTicket = ticket;
    this._project = {
      path,
      status: 'loading',
      response: this._project.path === path ? this._project.response : null,
      error: ''
    };
    this.stateChanged.emit();
    let next: EnvironmentsModel.IProjectState;
    try {
      const response = await this._client.getProject(path);
      next = { path, status: 'loaded', response, error: '' };
    } catch (reason) {
      next = {
        path,
        status: 'error',
        response: null,
        error: Private.describe(reason)
      };
    }
    // A newer request, or another notebook becoming current, wins.
    if (this.isDisposed || ticket !== this._projectTicket) {
      return;
    }
    this._project = next;
    this.stateChanged.emit();
  }

  /**
   * Load (or reload) the packages of one environment.
   *
   * Never rejects: failures land in the environment's package state.
   */
  async loadPackages(id: string): Promise<void> {
    const ticket = Private.nextTicket();
    this._packageTickets.set(id, ticket);
    const previous = this._packages.get(id);
    // Keep showing what we had while the new list loads.
    this._packages.set(id, {
      status: 'loading',
      packages: previous?.packages ?? [],
      errors: previous?.errors ?? [],
      error: ''
    });
    this.stateChanged.emit();
    let next: EnvironmentsModel.IPackagesState;
    try {
      const response = await this._client.getPackages(id);
      next = {
        status: 'loaded',
        packages: response.packages,
        errors: response.errors,
        error: ''
      };
    } catch (reason) {
      next = {
        status: 'error',
        packages: [],
        errors: [],
        error: Private.describe(reason)
      };
    }
    // A newer request for this environment, or a refresh that dropped it, wins.
    if (this.isDisposed || this._packageTickets.get(id) !== ticket) {
      return;
    }
    this._packageTickets.delete(id);
    this._packages.set(id, next);
    this.stateChanged.emit();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    this._packages.clear();
    this._packageTickets.clear();
    Signal.clearData(this);
    super.dispose();
  }

  /**
   * Request the listing; resolves to whether it succeeded (or was superseded).
   */
  private async _loadListing(): Promise<boolean> {
    const ticket = Private.nextTicket();
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
        this._error = this._trans.__(
          'The conda environments server extension is not answering. Run "%1" and restart JupyterLab.',
          EnvironmentsModel.ENABLE_COMMAND
        );
      } else {
        this._status = 'error';
        this._error = this._trans.__(
          'Could not list the conda environments: %1',
          Private.describe(reason)
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
    const before = new Map(this._environments.map(env => [env.id, env]));
    const after = new Map(environments.map(env => [env.id, env]));
    // Package lists of environments that vanished or whose revision moved
    // (conda-meta/ or site-packages changed on the server) are stale: drop
    // them, and reload the open one.
    for (const id of Array.from(this._packages.keys())) {
      const now = after.get(id);
      const then = before.get(id);
      if (!now || (then && then.revision !== now.revision)) {
        this._packages.delete(id);
        this._packageTickets.delete(id);
      }
    }
    this._environments = environments;
    this._skipped = skipped;
    this._serverPrefix = serverPrefix;
    this._status = 'loaded';
    this._error = '';
    if (this._expandedId !== null) {
      if (!after.has(this._expandedId)) {
        this._expandedId = null;
      } else if (!this._packages.has(this._expandedId)) {
        void this.loadPackages(this._expandedId);
      }
    }
    if (this._revealId !== null && !after.has(this._revealId)) {
      this._revealId = null;
    }
    const kernelsKey = Private.kernelsKey(environments);
    const kernelsMoved =
      this._kernelsKey !== null && kernelsKey !== this._kernelsKey;
    this._kernelsKey = kernelsKey;
    if (kernelsMoved) {
      this._kernelsChanged.emit();
      // A new environment or kernel can resolve the notebook's project (an
      // environment.yml named an env that did not exist yet, or ipykernel
      // was just installed in it).
      if (this._notebookPath !== null) {
        void this.loadProject();
      }
    }
  }

  private async _onPollTick(): Promise<void> {
    const ok = await this._loadListing();
    if (!ok) {
      // Rejecting makes the poll back off while the server is unhappy.
      throw new Error(this._error);
    }
  }

  private _reschedulePoll(): void {
    if (this._pollStarted && !this._poll.isDisposed) {
      void this._poll.schedule({ interval: this._poll.frequency.interval });
    }
  }

  private _client: EnvironmentsClient & KernelsClient;
  private _trans: TranslationBundle;
  private _poll: Poll;
  private _pollStarted = false;
  private _panelVisible = false;
  private _refreshInterval: number;
  private _status: EnvironmentsModel.Status = 'idle';
  private _error = '';
  private _isRefreshing = false;
  private _listingTicket = 0;
  private _environments: EnvironmentSummary[] = [];
  private _skipped: SkippedEnvironment[] = [];
  private _serverPrefix: string | null = null;
  private _filter = '';
  private _expandedId: string | null = null;
  private _packages = new Map<string, EnvironmentsModel.IPackagesState>();
  private _packageTickets = new Map<string, number>();
  private _packageSearch = '';
  private _packagePage = 0;
  private _notebookOpen = false;
  private _activeKernelName: string | null = null;
  private _notebookPath: string | null = null;
  private _project: EnvironmentsModel.IProjectState = {
    path: null,
    status: 'idle',
    response: null,
    error: ''
  };
  private _projectTicket = 0;
  private _kernelsKey: string | null = null;
  private _kernelsChanged = new Signal<this, void>(this);
  private _revealId: string | null = null;
}

export namespace EnvironmentsModel {
  export interface IOptions {
    /**
     * The client of the server extension.
     */
    client: EnvironmentsClient & KernelsClient;
    /**
     * Seconds between automatic refreshes; 0 turns them off. Default 60.
     */
    refreshInterval?: number;
    translator?: ITranslator;
  }

  /**
   * Where the listing stands: `idle` before the first load, then the outcome
   * of the latest request (data from an earlier success stays available).
   */
  export type Status =
    'idle' | 'loading' | 'loaded' | 'error' | 'server-extension-missing';

  /**
   * The packages of one environment.
   */
  export interface IPackagesState {
    status: 'loading' | 'loaded' | 'error';
    /** The records; while reloading, those of the previous load. */
    packages: PackageRecord[];
    /** Record files the server could not read. */
    errors: PackageFileError[];
    /** Why the request failed; `''` unless `status` is `error`. */
    error: string;
  }

  /**
   * The project environment of the current notebook.
   */
  export interface IProjectState {
    /** The notebook path this is about; null when no notebook is current. */
    path: string | null;
    /** `idle` until it is first requested for this path. */
    status: 'idle' | 'loading' | 'loaded' | 'error';
    /** The latest answer for `path`; while reloading, the previous one. */
    response: ProjectResponse | null;
    /** Why the request failed; `''` unless `status` is `error`. */
    error: string;
  }

  export const DEFAULT_REFRESH_INTERVAL = 60;

  /**
   * Rows per page of the package table: enough to scan, few enough that
   * 1,000+ packages stay fast without virtualisation.
   */
  export const PACKAGES_PER_PAGE = 100;

  /**
   * What the user runs when the server extension is not enabled.
   */
  export const ENABLE_COMMAND =
    'jupyter server extension enable jupyterlab_conda_envs';
}

namespace Private {
  let ticket = 0;

  /**
   * A number that orders requests: a later request has a larger one.
   */
  export function nextTicket(): number {
    return ++ticket;
  }

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

  /**
   * A failure as a string for the user.
   */
  export function describe(reason: unknown): string {
    if (reason instanceof Error) {
      return reason.message;
    }
    return String(reason);
  }
}

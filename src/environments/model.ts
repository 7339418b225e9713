import { describeError } from '../core/serverModel';
import { RequestTickets } from '../core/requestTickets';
import type { KernelsClient } from '../kernels/api';
import type {
  EnvironmentsClient,
  EnvironmentSummary,
  PackageFileError,
  PackageRecord
} from './api';
import { environmentMatches, IPage, packageMatches, paginate } from './filters';
import { CurrentNotebookModel } from './currentNotebookModel';
import { ListingModel } from './listingModel';

/**
 * The state of the environments panel.
 *
 * Like JupyterLab's extension manager model: private state behind getters,
 * `stateChanged` on every change, nothing loaded until the panel is first
 * shown (`ensureLoaded`), then a `Poll` keeps the listing fresh (see
 * `ListingModel`). This adds the filter, the open environment and its
 * packages; the current notebook with its project environment is
 * `CurrentNotebookModel`'s.
 */
export class EnvironmentsModel extends CurrentNotebookModel {
  constructor(options: EnvironmentsModel.IOptions) {
    super(options);
    this._packagesClient = options.client;
  }

  /**
   * The environments that match `filter`.
   */
  get filteredEnvironments(): EnvironmentSummary[] {
    return this.environments.filter(env =>
      environmentMatches(env, this._filter)
    );
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
    const env = this.environments.find(candidate => candidate.id === id);
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
   * Load the listing now, and reload the open environment's packages and the
   * current notebook's project environment.
   *
   * Never rejects: failures become `status` and `error`.
   */
  async refresh(): Promise<void> {
    // The next automatic refresh is one interval from this one.
    this.reschedulePoll();
    const expanded = this._expandedId;
    // An explicit refresh drops every package cache: the user asked for news.
    for (const id of Array.from(this._packages.keys())) {
      if (id !== expanded) {
        this._packages.delete(id);
      }
    }
    const work: Promise<unknown>[] = [this.loadListing()];
    if (expanded !== null) {
      work.push(this.loadPackages(expanded));
    }
    if (this.notebookPath !== null) {
      work.push(this.loadProject());
    }
    await Promise.all(work);
  }

  /**
   * Load (or reload) the packages of one environment.
   *
   * Never rejects: failures land in the environment's package state.
   */
  async loadPackages(id: string): Promise<void> {
    const ticket = this._packageTickets.issue(id, this.nextTicket());
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
      const response = await this._packagesClient.getPackages(id);
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
        error: describeError(reason)
      };
    }
    // A newer request for this environment, or a refresh that dropped it, wins.
    if (this.isDisposed || !this._packageTickets.settle(id, ticket)) {
      return;
    }
    this._packages.set(id, next);
    this.stateChanged.emit();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._packages.clear();
    this._packageTickets.clear();
    super.dispose();
  }

  protected listingApplied(
    before: ReadonlyArray<EnvironmentSummary>,
    after: ReadonlyArray<EnvironmentSummary>
  ): void {
    const then = new Map(before.map(env => [env.id, env]));
    const now = new Map(after.map(env => [env.id, env]));
    // Package lists of environments that vanished or whose revision moved
    // (conda-meta/ or site-packages changed on the server) are stale: drop
    // them, and reload the open one.
    for (const id of Array.from(this._packages.keys())) {
      const next = now.get(id);
      const previous = then.get(id);
      if (!next || (previous && previous.revision !== next.revision)) {
        this._packages.delete(id);
        this._packageTickets.forget(id);
      }
    }
    if (this._expandedId !== null) {
      if (!now.has(this._expandedId)) {
        this._expandedId = null;
      } else if (!this._packages.has(this._expandedId)) {
        void this.loadPackages(this._expandedId);
      }
    }
    if (this._revealId !== null && !now.has(this._revealId)) {
      this._revealId = null;
    }
  }

  private _packagesClient: EnvironmentsClient;
  private _filter = '';
  private _expandedId: string | null = null;
  private _packages = new Map<string, EnvironmentsModel.IPackagesState>();
  private _packageTickets = new RequestTickets<string>();
  private _packageSearch = '';
  private _packagePage = 0;
  private _revealId: string | null = null;
}

export namespace EnvironmentsModel {
  export interface IOptions extends CurrentNotebookModel.IOptions {
    /**
     * The client of the server extension.
     */
    client: EnvironmentsClient & KernelsClient;
  }

  export type Status = ListingModel.Status;

  export type IProjectState = CurrentNotebookModel.IProjectState;

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

  export const DEFAULT_REFRESH_INTERVAL = ListingModel.DEFAULT_REFRESH_INTERVAL;

  /**
   * Rows per page of the package table: enough to scan, few enough that
   * 1,000+ packages stay fast without virtualisation.
   */
  export const PACKAGES_PER_PAGE = 100;

  export const ENABLE_COMMAND = ListingModel.ENABLE_COMMAND;
}

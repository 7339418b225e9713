import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';

import type {
  CondaEnvsClient,
  EnvironmentSummary,
  PackageRecord,
  ProbeResponse,
  SystemFacts
} from './api';
import { analyzeEnvironment, EnvironmentAnalysis } from './compat';
import type { EnvironmentsModel } from './model';

/**
 * This machine's facts and, for every listed environment, what the
 * compatibility engine makes of its packages on this machine, plus the
 * "Check in environment" probes.
 *
 * It follows the listing of an `EnvironmentsModel`: nothing is requested
 * until `ensureLoaded` (the panel is shown), then every listed environment's
 * packages are read in the background, a few at a time, and judged. Package
 * lists are kept per (environment, revision), so a listing that did not move
 * an environment's revision costs nothing, and new facts about this machine
 * re-judge every environment without reading its packages again.
 */
export class CompatModel extends VDomModel {
  constructor(options: CompatModel.IOptions) {
    super();
    this._client = options.client;
    this._environments = options.environments;
    this._analyze = options.analyze ?? analyzeEnvironment;
    this._concurrency = Math.max(
      1,
      Math.floor(options.concurrency ?? CompatModel.DEFAULT_CONCURRENCY)
    );
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_conda_envs'
    );
    this._environments.stateChanged.connect(this._onEnvironmentsChanged, this);
  }

  /**
   * This machine's facts, as far as they are known.
   */
  get system(): CompatModel.ISystemState {
    return this._system;
  }

  /**
   * The compatibility of a listed environment; undefined before the model
   * is loaded or for an environment that is not listed.
   */
  analysisOf(id: string): CompatModel.IAnalysisState | undefined {
    return this._analyses.get(id);
  }

  /**
   * The "Check in environment" probe of an environment.
   */
  probeOf(id: string): CompatModel.IProbeState {
    return this._probes.get(id) ?? Private.IDLE_PROBE;
  }

  /**
   * Read this machine's facts and start judging the listed environments,
   * the first time; later calls return at once.
   */
  ensureLoaded(): Promise<void> {
    if (this._started) {
      return Promise.resolve();
    }
    this._started = true;
    this._sync();
    return this.loadSystem();
  }

  /**
   * Read this machine's facts again, once loaded (the listing's own refresh
   * brings package changes, through revisions).
   */
  refresh(): Promise<void> {
    return this._started ? this.loadSystem() : Promise.resolve();
  }

  /**
   * Load (or reload) this machine's facts; every environment whose packages
   * are known is judged again when they arrive.
   *
   * Never rejects: failures land in `system.error`. While they reload, the
   * previous facts stay in use.
   */
  async loadSystem(): Promise<void> {
    const ticket = Private.nextTicket();
    this._systemTicket = ticket;
    this._system = { ...this._system, status: 'loading', error: '' };
    this.stateChanged.emit();
    let next: CompatModel.ISystemState;
    try {
      const facts = await this._client.getSystem();
      next = { status: 'loaded', facts, error: '' };
    } catch (reason) {
      next = {
        status: 'error',
        // Judging by old facts is better than judging by none.
        facts: this._system.facts,
        error: this._trans.__(
          'Could not read the facts of this machine: %1',
          Private.describe(reason)
        )
      };
    }
    if (this.isDisposed || ticket !== this._systemTicket) {
      return;
    }
    this._system = next;
    for (const id of Array.from(this._analyses.keys())) {
      this._judge(id);
    }
    this.stateChanged.emit();
  }

  /**
   * Run "Check in environment" for one environment.
   *
   * Never rejects: failures land in the environment's probe state.
   */
  async probe(id: string): Promise<void> {
    const ticket = Private.nextTicket();
    this._probeTickets.set(id, ticket);
    this._probes.set(id, { status: 'running', response: null, error: '' });
    this.stateChanged.emit();
    let next: CompatModel.IProbeState;
    try {
      const response = await this._client.probe(id);
      next = { status: 'done', response, error: '' };
    } catch (reason) {
      next = {
        status: 'error',
        response: null,
        error: Private.describe(reason)
      };
    }
    // A newer probe of the same environment wins.
    if (this.isDisposed || this._probeTickets.get(id) !== ticket) {
      return;
    }
    this._probeTickets.delete(id);
    this._probes.set(id, next);
    this.stateChanged.emit();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._environments.stateChanged.disconnect(
      this._onEnvironmentsChanged,
      this
    );
    this._queue = [];
    this._records.clear();
    this._analyses.clear();
    this._packageTickets.clear();
    this._probes.clear();
    this._probeTickets.clear();
    super.dispose();
  }

  /**
   * The environments model changes for many reasons; only a new listing
   * (a new array) or a newly opened environment matters here.
   */
  private _onEnvironmentsChanged(): void {
    if (!this._started) {
      return;
    }
    const listing = this._environments.environments;
    if (listing !== this._listing) {
      this._sync();
      return;
    }
    const expanded = this._environments.expandedId;
    if (expanded !== this._expandedId) {
      this._expandedId = expanded;
      this._prioritize(expanded);
    }
  }

  /**
   * Bring the per-environment state in line with the current listing:
   * forget vanished environments, queue those whose packages are unknown at
   * their current revision, and start reading.
   */
  private _sync(): void {
    const listing = this._environments.environments;
    this._listing = listing;
    this._expandedId = this._environments.expandedId;
    const listed = new Map(listing.map(env => [env.id, env]));
    for (const id of Array.from(this._analyses.keys())) {
      if (!listed.has(id)) {
        this._analyses.delete(id);
        this._records.delete(id);
        this._packageTickets.delete(id);
        this._pendingRevisions.delete(id);
        this._probes.delete(id);
        this._probeTickets.delete(id);
      }
    }
    this._queue = this._queue.filter(id => listed.has(id));
    let changed = false;
    for (const env of listing) {
      if (this._records.get(env.id)?.revision === env.revision) {
        continue;
      }
      const pending = this._pendingRevisions.get(env.id);
      if (pending === env.revision || this._queue.includes(env.id)) {
        continue;
      }
      // Show the previous verdicts (if any) as loading until the new ones.
      const previous = this._analyses.get(env.id);
      this._analyses.set(env.id, {
        status: 'loading',
        revision: env.revision,
        analysis: previous?.analysis ?? null,
        error: ''
      });
      this._queue.push(env.id);
      changed = true;
    }
    this._prioritize(this._expandedId);
    this._pump();
    if (changed) {
      this.stateChanged.emit();
    }
  }

  /**
   * Read the open environment's packages next: the user is looking at it.
   */
  private _prioritize(id: string | null): void {
    const index = id === null ? -1 : this._queue.indexOf(id);
    if (index > 0) {
      this._queue.splice(index, 1);
      this._queue.unshift(id as string);
    }
  }

  /**
   * Start package reads until `concurrency` are in flight: an account with
   * dozens of environments must not fire dozens of requests at once.
   */
  private _pump(): void {
    while (this._running < this._concurrency && this._queue.length > 0) {
      const id = this._queue.shift() as string;
      const env = this._listing.find(candidate => candidate.id === id);
      if (env) {
        void this._read(env);
      }
    }
  }

  private async _read(env: EnvironmentSummary): Promise<void> {
    const { id, revision } = env;
    const ticket = Private.nextTicket();
    this._packageTickets.set(id, ticket);
    this._pendingRevisions.set(id, revision);
    this._running++;
    let packages: PackageRecord[] | null = null;
    let error = '';
    try {
      packages = (await this._client.getPackages(id)).packages;
    } catch (reason) {
      error = Private.describe(reason);
    } finally {
      this._running--;
    }
    if (this.isDisposed) {
      return;
    }
    // A newer read of this environment, or its leaving the listing, wins.
    if (this._packageTickets.get(id) === ticket) {
      this._packageTickets.delete(id);
      this._pendingRevisions.delete(id);
      const current = this._listing.find(candidate => candidate.id === id);
      if (current && current.revision === revision) {
        if (packages !== null) {
          this._records.set(id, { revision, packages });
          this._judge(id);
        } else {
          this._analyses.set(id, {
            status: 'error',
            revision,
            analysis: null,
            error: this._trans.__('Could not read the packages: %1', error)
          });
        }
        this.stateChanged.emit();
      } else if (current && !this._queue.includes(id)) {
        // The revision moved while reading: read the new one.
        this._queue.push(id);
      }
    }
    this._pump();
  }

  /**
   * Judge one environment from its known packages and this machine's facts.
   */
  private _judge(id: string): void {
    const records = this._records.get(id);
    if (!records) {
      return;
    }
    const facts = this._system.facts;
    if (facts === null) {
      this._analyses.set(id, {
        status: this._system.status === 'error' ? 'error' : 'loading',
        revision: records.revision,
        analysis: null,
        error: this._system.error
      });
      return;
    }
    try {
      this._analyses.set(id, {
        status: 'done',
        revision: records.revision,
        analysis: this._analyze(records.packages, facts),
        error: ''
      });
    } catch (reason) {
      this._analyses.set(id, {
        status: 'error',
        revision: records.revision,
        analysis: null,
        error: this._trans.__(
          'The compatibility check failed: %1',
          Private.describe(reason)
        )
      });
    }
  }

  private _client: CondaEnvsClient;
  private _environments: EnvironmentsModel;
  private _analyze: CompatModel.Analyze;
  private _concurrency: number;
  private _trans: TranslationBundle;
  private _started = false;
  private _listing: ReadonlyArray<EnvironmentSummary> = [];
  private _expandedId: string | null = null;
  private _system: CompatModel.ISystemState = {
    status: 'idle',
    facts: null,
    error: ''
  };
  private _systemTicket = 0;
  private _records = new Map<
    string,
    { revision: string; packages: PackageRecord[] }
  >();
  private _analyses = new Map<string, CompatModel.IAnalysisState>();
  private _queue: string[] = [];
  private _running = 0;
  private _packageTickets = new Map<string, number>();
  private _pendingRevisions = new Map<string, string>();
  private _probes = new Map<string, CompatModel.IProbeState>();
  private _probeTickets = new Map<string, number>();
}

export namespace CompatModel {
  /**
   * The compatibility engine's entry point (tests pass their own).
   */
  export type Analyze = (
    records: PackageRecord[],
    facts: SystemFacts
  ) => EnvironmentAnalysis;

  export interface IOptions {
    client: CondaEnvsClient;
    /** The listing to follow. */
    environments: EnvironmentsModel;
    /** Default: the engine's `analyzeEnvironment`. */
    analyze?: Analyze;
    /** Package lists read at once; default 3. */
    concurrency?: number;
    translator?: ITranslator;
  }

  /**
   * This machine's facts.
   */
  export interface ISystemState {
    /** `idle` until first requested, then the latest request's outcome. */
    status: 'idle' | 'loading' | 'loaded' | 'error';
    /** The latest facts; kept while reloading and after a failed reload. */
    facts: SystemFacts | null;
    /** Why the latest request failed; `''` unless `status` is `error`. */
    error: string;
  }

  /**
   * The compatibility of one environment.
   */
  export interface IAnalysisState {
    /**
     * `loading` while its packages or this machine's facts are on their
     * way; `error` when either could not be read or the engine failed.
     */
    status: 'loading' | 'done' | 'error';
    /** The environment revision this is (or will be) about. */
    revision: string;
    /** The engine's answer; while loading, the previous one, if any. */
    analysis: EnvironmentAnalysis | null;
    /** Why there is no answer; `''` unless `status` is `error`. */
    error: string;
  }

  /**
   * A "Check in environment" probe.
   */
  export interface IProbeState {
    status: 'idle' | 'running' | 'done' | 'error';
    /** The server's answer once `done`. */
    response: ProbeResponse | null;
    /** Why the request failed; `''` unless `status` is `error`. */
    error: string;
  }

  export const DEFAULT_CONCURRENCY = 3;
}

namespace Private {
  let ticket = 0;

  /**
   * A number that orders requests: a later request has a larger one.
   */
  export function nextTicket(): number {
    return ++ticket;
  }

  export const IDLE_PROBE: CompatModel.IProbeState = {
    status: 'idle',
    response: null,
    error: ''
  };

  /**
   * A failure as a string for the user.
   */
  export function describe(reason: unknown): string {
    return reason instanceof Error ? reason.message : String(reason);
  }
}

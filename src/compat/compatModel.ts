import { describeError, ServerModel } from '../core/serverModel';
import { RequestTickets } from '../core/requestTickets';
import type {
  EnvironmentsClient,
  EnvironmentSummary,
  PackageRecord
} from '../environments/api';
import type { GpuClient } from '../gpu/api';
import { MachineModel } from '../gpu/machineModel';
import { analyzeEnvironment } from '.';
import {
  Analyze as AnalyzeFunction,
  IAnalysisState as AnalysisState,
  judgePackages
} from './analysisState';
import type { EnvironmentsModel } from '../environments/model';

/**
 * This machine's facts and, for every listed environment, what the
 * compatibility engine makes of its packages on this machine, plus the
 * "Check in environment" probes (the facts and probes are a `MachineModel`'s;
 * this re-emits its changes).
 *
 * It follows the listing of an `EnvironmentsModel`: nothing is requested
 * until `ensureLoaded` (the panel is shown), then every listed environment's
 * packages are read in the background, a few at a time, and judged. Package
 * lists are kept per (environment, revision), so a listing that did not move
 * an environment's revision costs nothing, and new facts about this machine
 * re-judge every environment without reading its packages again. A list
 * the environments model already holds (the open environment's) is reused,
 * not read twice. A read that failed is not retried until the revision
 * moves or the user refreshes.
 */
export class CompatModel extends ServerModel {
  constructor(options: CompatModel.IOptions) {
    super(options);
    this._client = options.client;
    this._environments = options.environments;
    this._analyze = options.analyze ?? analyzeEnvironment;
    this._concurrency = Math.max(
      1,
      Math.floor(options.concurrency ?? CompatModel.DEFAULT_CONCURRENCY)
    );
    this._machine = new MachineModel({
      client: options.client,
      trans: this.trans
    });
    this._machine.stateChanged.connect(this._onMachineChanged, this);
    this._environments.stateChanged.connect(this._onEnvironmentsChanged, this);
  }

  /**
   * This machine's facts, as far as they are known.
   */
  get system(): CompatModel.ISystemState {
    return this._machine.system;
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
    return this._machine.probeOf(id);
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
   * The user's refresh, once loaded: read this machine's facts again and
   * retry the environments whose packages could not be read (the listing's
   * own refresh brings package changes, through revisions).
   */
  refresh(): Promise<void> {
    if (!this._started) {
      return Promise.resolve();
    }
    this._failed.clear();
    this._sync();
    return this.loadSystem();
  }

  /**
   * Load (or reload) this machine's facts; every environment whose packages
   * are known is judged again when they arrive.
   *
   * Never rejects: failures land in `system.error`. While they reload, the
   * previous facts stay in use.
   */
  loadSystem(): Promise<void> {
    return this._machine.loadSystem();
  }

  /**
   * Run "Check in environment" for one environment.
   *
   * Never rejects: failures land in the environment's probe state.
   */
  probe(id: string): Promise<void> {
    return this._machine.probe(id);
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
    this._failed.clear();
    this._machine.dispose();
    super.dispose();
  }

  /**
   * The machine's facts or a probe changed: once new facts (or a failure to
   * read them) arrive, every environment whose packages are known is judged
   * again.
   */
  private _onMachineChanged(): void {
    const system = this._machine.system;
    if (system !== this._judgedSystem) {
      this._judgedSystem = system;
      if (system.status !== 'loading') {
        for (const id of Array.from(this._analyses.keys())) {
          this._judge(id);
        }
      }
    }
    this.stateChanged.emit();
  }

  /**
   * The environments model changes for many reasons; a new listing (a new
   * array) and a newly opened environment matter here, and so does a
   * package list it finished reading, which a queued environment can use.
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
    if (this._queue.length > 0) {
      this._pump();
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
        this._packageTickets.forget(id);
        this._pendingRevisions.delete(id);
        this._failed.delete(id);
      }
    }
    let changed = this._machine.followListing(listing);
    this._queue = this._queue.filter(id => listed.has(id));
    for (const env of listing) {
      if (this._records.get(env.id)?.revision === env.revision) {
        continue;
      }
      const pending = this._pendingRevisions.get(env.id);
      if (pending === env.revision || this._queue.includes(env.id)) {
        continue;
      }
      // A read that failed at this revision waits for a new one or the user's refresh.
      if (this._failed.get(env.id) === env.revision) {
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
   * dozens of environments must not fire dozens of requests at once. A
   * queued environment whose list the environments model holds takes it;
   * one it is reading waits for that answer.
   */
  private _pump(): void {
    let adopted = false;
    const waiting: string[] = [];
    for (const id of this._queue) {
      const env = this._listing.find(candidate => candidate.id === id);
      if (!env) {
        continue;
      }
      const shared = this._environments.packagesOf(id);
      if (shared?.status === 'loaded') {
        this._records.set(id, {
          revision: env.revision,
          packages: shared.packages
        });
        this._failed.delete(id);
        this._judge(id);
        adopted = true;
      } else if (
        shared?.status !== 'loading' &&
        this._running < this._concurrency
      ) {
        void this._read(env);
      } else {
        waiting.push(id);
      }
    }
    this._queue = waiting;
    if (adopted) {
      this.stateChanged.emit();
    }
  }

  private async _read(env: EnvironmentSummary): Promise<void> {
    const { id, revision } = env;
    const ticket = this._packageTickets.issue(id, this.nextTicket());
    this._pendingRevisions.set(id, revision);
    this._running++;
    let packages: PackageRecord[] | null = null;
    let error = '';
    try {
      packages = (await this._client.getPackages(id)).packages;
    } catch (reason) {
      error = describeError(reason);
    } finally {
      this._running--;
    }
    if (this.isDisposed) {
      return;
    }
    // A newer read of this environment, or its leaving the listing, wins.
    if (this._packageTickets.settle(id, ticket)) {
      this._pendingRevisions.delete(id);
      const current = this._listing.find(candidate => candidate.id === id);
      if (current && this._records.get(id)?.revision === current.revision) {
        // The environments model's list for this revision came first.
      } else if (current && current.revision === revision) {
        if (packages !== null) {
          this._failed.delete(id);
          this._records.set(id, { revision, packages });
          this._judge(id);
        } else {
          this._failed.set(id, revision);
          this._analyses.set(id, {
            status: 'error',
            revision,
            analysis: null,
            error: this.trans.__('Could not read the packages: %1', error)
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
    const env = this._listing.find(candidate => candidate.id === id);
    this._analyses.set(
      id,
      judgePackages({
        ...records,
        system: this._machine.system,
        analyze: this._analyze,
        prefix: env?.prefix ?? null,
        trans: this.trans
      })
    );
  }

  private _client: EnvironmentsClient & GpuClient;
  private _environments: EnvironmentsModel;
  private _analyze: CompatModel.Analyze;
  private _concurrency: number;
  private _machine: MachineModel;
  /** The facts the analyses were last judged by. */
  private _judgedSystem: MachineModel.ISystemState | null = null;
  private _started = false;
  private _listing: ReadonlyArray<EnvironmentSummary> = [];
  private _expandedId: string | null = null;
  private _records = new Map<
    string,
    { revision: string; packages: PackageRecord[] }
  >();
  private _analyses = new Map<string, CompatModel.IAnalysisState>();
  private _queue: string[] = [];
  private _running = 0;
  private _packageTickets = new RequestTickets<string>();
  private _pendingRevisions = new Map<string, string>();
  /** The revision whose package read failed, per environment. */
  private _failed = new Map<string, string>();
}

export namespace CompatModel {
  /** The compatibility engine's entry point (see `analysisState.ts`). */
  export type Analyze = AnalyzeFunction;

  export interface IOptions extends ServerModel.IOptions {
    client: EnvironmentsClient & GpuClient;
    /** The listing to follow. */
    environments: EnvironmentsModel;
    /** Default: the engine's `analyzeEnvironment`. */
    analyze?: Analyze;
    /** Package lists read at once; default 3. */
    concurrency?: number;
  }

  /** This machine's facts (see `MachineModel`). */
  export type ISystemState = MachineModel.ISystemState;

  /** The compatibility of one environment (see `analysisState.ts`). */
  export type IAnalysisState = AnalysisState;

  /** A "Check in environment" probe (see `MachineModel`). */
  export type IProbeState = MachineModel.IProbeState;

  export const DEFAULT_CONCURRENCY = 3;
}

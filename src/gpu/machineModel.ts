import { describeError, ServerModel } from '../core/serverModel';
import { RequestTickets } from '../core/requestTickets';
import type { GpuClient, ProbeResponse, SystemFacts } from './api';

/**
 * This machine's facts (`GET system`) and the "Check in environment"
 * probes, one per environment.
 *
 * The compatibility model judges environments by these facts and shows the
 * probes beside its verdicts; it owns one of these and re-emits its
 * changes.
 */
export class MachineModel extends ServerModel {
  constructor(options: MachineModel.IOptions) {
    super(options);
    this._client = options.client;
  }

  /**
   * This machine's facts, as far as they are known.
   */
  get system(): MachineModel.ISystemState {
    return this._system;
  }

  /**
   * The "Check in environment" probe of an environment.
   */
  probeOf(id: string): MachineModel.IProbeState {
    return this._probes.get(id) ?? Private.IDLE_PROBE;
  }

  /**
   * Load (or reload) this machine's facts.
   *
   * Never rejects: failures land in `system.error`. While they reload, the
   * previous facts stay in use.
   */
  async loadSystem(): Promise<void> {
    const ticket = this.nextTicket();
    this._systemTicket = ticket;
    this._system = { ...this._system, status: 'loading', error: '' };
    this.stateChanged.emit();
    let next: MachineModel.ISystemState;
    try {
      const facts = await this._client.getSystem();
      next = { status: 'loaded', facts, error: '' };
    } catch (reason) {
      next = {
        status: 'error',
        // Judging by old facts is better than judging by none.
        facts: this._system.facts,
        error: this.trans.__(
          'Could not read the facts of this machine: %1',
          describeError(reason)
        )
      };
    }
    if (this.isDisposed || ticket !== this._systemTicket) {
      return;
    }
    this._system = next;
    this.stateChanged.emit();
  }

  /**
   * Run "Check in environment" for one environment.
   *
   * Never rejects: failures land in the environment's probe state.
   */
  async probe(id: string): Promise<void> {
    const ticket = this._probeTickets.issue(id, this.nextTicket());
    this._probes.set(id, { status: 'running', response: null, error: '' });
    this.stateChanged.emit();
    let next: MachineModel.IProbeState;
    try {
      const response = await this._client.probe(id);
      next = { status: 'done', response, error: '' };
    } catch (reason) {
      next = {
        status: 'error',
        response: null,
        error: describeError(reason)
      };
    }
    // A newer probe of the same environment wins.
    if (this.isDisposed || !this._probeTickets.settle(id, ticket)) {
      return;
    }
    this._probes.set(id, next);
    this.stateChanged.emit();
  }

  /**
   * Follow a new listing: drop, without emitting, the probes of
   * environments that left it or whose revision moved; true when one of
   * them was on show.
   *
   * A probe answered for the packages as they were; once they move, it
   * would mislead.
   */
  followListing(
    listing: ReadonlyArray<MachineModel.IListedEnvironment>
  ): boolean {
    const listed = new Map(listing.map(env => [env.id, env.revision]));
    let dropped = false;
    for (const [id, revision] of Array.from(this._revisions)) {
      if (listed.get(id) !== revision) {
        this._probeTickets.forget(id);
        if (this._probes.delete(id)) {
          dropped = true;
        }
        this._revisions.delete(id);
      }
    }
    for (const [id, revision] of listed) {
      this._revisions.set(id, revision);
    }
    return dropped;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._probes.clear();
    this._probeTickets.clear();
    this._revisions.clear();
    super.dispose();
  }

  private _client: GpuClient;
  private _system: MachineModel.ISystemState = {
    status: 'idle',
    facts: null,
    error: ''
  };
  private _systemTicket = 0;
  private _probes = new Map<string, MachineModel.IProbeState>();
  private _probeTickets = new RequestTickets<string>();
  /** The revision of each environment in the latest listing. */
  private _revisions = new Map<string, string>();
}

export namespace MachineModel {
  export interface IOptions extends ServerModel.IOptions {
    client: GpuClient;
  }

  /**
   * What a probe depends on of a listed environment.
   */
  export interface IListedEnvironment {
    id: string;
    /** Moves whenever the environment's packages change. */
    revision: string;
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
   * A "Check in environment" probe.
   */
  export interface IProbeState {
    status: 'idle' | 'running' | 'done' | 'error';
    /** The server's answer once `done`. */
    response: ProbeResponse | null;
    /** Why the request failed; `''` unless `status` is `error`. */
    error: string;
  }
}

namespace Private {
  export const IDLE_PROBE: MachineModel.IProbeState = {
    status: 'idle',
    response: null,
    error: ''
  };
}

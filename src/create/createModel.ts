import { RequestError } from '../core/request';
import type { Job } from '../jobs/api';
import type {
  CreateBackend,
  CreateBackendChoice,
  CreateClient,
  CreatePlanResponse,
  RiskKind
} from './api';
import { CreateChoices, RISK_KINDS } from './createChoices';
import {
  bodyOf,
  errorOf,
  ICreateError,
  isExistsMessage
} from './createRefusal';

/**
 * The state of the "Create environment from file" dialog: the plan of the
 * file (from a dry run), the user's choices, and the submit.
 *
 * Nothing is created before `submit`; every change of a choice that changes
 * the plan (name, ipykernel, update/prune) runs a new dry run.
 */
export class CreateModel extends CreateChoices {
  constructor(options: CreateModel.IOptions) {
    super(options);
    this._client = options.client;
    this._debounce = options.debounce ?? CreateModel.DEBOUNCE;
  }

  /**
   * Where the dialog stands.
   */
  get status(): CreateModel.Status {
    return this._status;
  }

  /**
   * The latest dry run's answer; null until one succeeds, and after one
   * fails.
   */
  get plan(): CreatePlanResponse | null {
    return this._plan;
  }

  /**
   * Why the dry run or the submit was refused; null when nothing was.
   */
  get error(): CreateModel.IError | null {
    return this._error;
  }

  /**
   * The tools to pick from, as the last dry run that answered listed them:
   * kept when a later one is refused, so a refused pick can be undone.
   */
  get backendChoices(): ReadonlyArray<CreateBackendChoice> {
    // The built-in backend creates only; an update's list may not have
    // come back yet.
    return this._mode === 'update'
      ? this._choices.filter(choice => choice.kind !== 'rattler')
      : this._choices;
  }

  /**
   * The kind of tool that runs: the pick, else the server's default.
   */
  get backendKind(): CreateBackend {
    // Under `auto` the server lists its default first.
    return this._backend !== 'auto'
      ? this._backend
      : (this._plan?.backend_kind ?? this._choices[0]?.kind ?? 'auto');
  }

  /**
   * The risks of the plan not allowed yet.
   */
  get pendingRisks(): RiskKind[] {
    return (this._plan?.plan.risks ?? [])
      .map(risk => risk.kind)
      .filter(kind => !this._allowed.has(kind));
  }

  /**
   * Whether Create (or Update) may be pressed: the plan is current, every
   * risk is allowed, and an update is confirmed.
   */
  get canSubmit(): boolean {
    return (
      this._status === 'ready' &&
      this._plan !== null &&
      this._plan.target.update === (this._mode === 'update') &&
      this.pendingRisks.length === 0 &&
      (this._mode === 'create' || this._confirmed)
    );
  }

  /**
   * The job the submit started.
   */
  get job(): Job | null {
    return this._job;
  }

  /**
   * Run a dry run now (the dialog calls it once it opens). Never rejects.
   */
  async validate(): Promise<void> {
    this.clearTimer();
    const ticket = (this._ticket = this.nextTicket());
    this._status = 'validating';
    this.stateChanged.emit();
    try {
      const response = await this._client.createEnvironment({
        ...this.request([...RISK_KINDS]),
        dry_run: true
      });
      if (this.isDisposed || ticket !== this._ticket) {
        return;
      }
      this._plan = response;
      this._choices = response.backend_choices ?? [];
      this._error = null;
      this._conflict = null;
      this._status = 'ready';
      if (!this._nameTouched) {
        this._fileName = response.plan.name;
        this._name = response.plan.name;
      }
    } catch (reason) {
      if (this.isDisposed || ticket !== this._ticket) {
        return;
      }
      this._plan = null;
      this._refused(reason);
    }
    this.stateChanged.emit();
  }

  /**
   * Start the job (POST without `dry_run`); resolves to it, or to null when
   * the server refused (the reason is then in `error` / `conflict`).
   */
  submit(): Promise<Job | null> {
    if (!this.canSubmit) {
      return Promise.resolve(null);
    }
    const pending = this._submit();
    this._pending = pending;
    void pending.then(() => {
      if (this._pending === pending) {
        this._pending = null;
      }
    });
    return pending;
  }

  /**
   * The submit on its way, if any: a dialog closed meanwhile must still
   * hand on the job it may start.
   */
  get pending(): Promise<Job | null> | null {
    return this._pending;
  }

  private async _submit(): Promise<Job | null> {
    const ticket = (this._ticket = this.nextTicket());
    this._status = 'submitting';
    this.stateChanged.emit();
    try {
      // Only what the user allowed: the server checks the opt-ins again.
      // The name and the file exactly as reviewed: a file edited since, or
      // a `name:` changed in it, is refused rather than silently used.
      const request = this.request([...this._allowed]);
      const name = this._name.trim();
      if (name) {
        request.name = name;
      }
      if (this._plan?.sha256) {
        request.expect_sha256 = this._plan.sha256;
      }
      const response = await this._client.createEnvironment(request);
      if (this.isDisposed) {
        // The job started all the same: whoever waits must follow it.
        return response.job;
      }
      this._job = response.job;
      this._status = 'submitted';
      this.stateChanged.emit();
      return response.job;
    } catch (reason) {
      if (this.isDisposed) {
        return null;
      }
      if (ticket === this._ticket) {
        if (this._refused(reason) === 'invalid' && this._plan !== null) {
          // The plan still stands (the server was busy, or lost its conda
          // tool meanwhile): the error shows, and Create can be tried again.
          this._status = 'ready';
        }
        this.stateChanged.emit();
      }
      return null;
    }
  }

  /**
   * Show a refusal; returns the status it leads to.
   */
  private _refused(reason: unknown): CreateModel.Status {
    const error = errorOf(reason, this.trans);
    const why =
      reason instanceof RequestError ? bodyOf(reason).reason : undefined;
    if (
      error.status === 409 &&
      this._mode === 'create' &&
      (why === 'exists' ||
        (why === undefined && isExistsMessage(error.message)))
    ) {
      this._conflict = error.message;
      this._status = 'conflict';
      this._error = error;
      return this._status;
    }
    this._conflict = null;
    this._status = 'invalid';
    this._error = error;
    return this._status;
  }

  protected scheduleValidate(delay: number = this._debounce): void {
    this.clearTimer();
    // Any answer on its way is for the previous choices.
    this._ticket = this.nextTicket();
    this._status = 'validating';
    this.stateChanged.emit();
    this.setTimer(() => void this.validate(), delay);
  }

  private _client: CreateClient;
  private _debounce: number;
  private _status: CreateModel.Status = 'validating';
  private _plan: CreatePlanResponse | null = null;
  private _error: CreateModel.IError | null = null;
  private _choices: ReadonlyArray<CreateBackendChoice> = [];
  private _job: Job | null = null;
  private _pending: Promise<Job | null> | null = null;
  private _ticket = 0;
}

export namespace CreateModel {
  export interface IOptions extends CreateChoices.IOptions {
    client: CreateClient;
    /** Milliseconds of quiet typing before the name is validated. */
    debounce?: number;
  }

  /**
   * `validating`: a dry run is due or on its way; `ready`: the plan is
   * current; `invalid`: the server refused the file or the choices;
   * `conflict`: the name is taken (409); `submitting`, `submitted`: the
   * job is being started, or was.
   */
  export type Status =
    | 'validating'
    | 'ready'
    | 'invalid'
    | 'conflict'
    | 'submitting'
    | 'submitted';

  /**
   * A refusal of the server, for the user.
   */
  export type IError = ICreateError;

  export const DEBOUNCE = 400;
}

import { TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';

import type {
  CreateBackend,
  CreateBackendChoice,
  CreateClient,
  CreateErrorBody,
  CreatePlanResponse,
  CreateRequest,
  RiskKind
} from './api';
import type { Job } from '../jobs/api';
import { RequestError } from '../core/request';

/**
 * Every kind of risk the server knows. A dry run allows them all: it starts
 * nothing, and only a plan that lists every risk can show what the user is
 * asked to allow.
 */
export const RISK_KINDS: ReadonlyArray<RiskKind> = [
  'pip-index',
  'pip-editable',
  'pip-vcs',
  'pip-url',
  'pip-local',
  'pip-requirements',
  'pip-option',
  'channel'
];

/**
 * The environment file a create starts from.
 */
export type CreateSource =
  | { kind: 'path'; path: string }
  | { kind: 'content'; content: string; label: string };

/**
 * The state of the "Create environment from file" dialog: the plan of the
 * file (from a dry run), the user's choices, and the submit.
 *
 * Nothing is created before `submit`; every change of a choice that changes
 * the plan (name, ipykernel, update/prune) runs a new dry run.
 */
export class CreateModel extends VDomModel {
  constructor(options: CreateModel.IOptions) {
    super();
    this._client = options.client;
    this._source = options.source;
    this._trans = options.trans;
    this._debounce = options.debounce ?? CreateModel.DEBOUNCE;
  }

  get source(): CreateSource {
    return this._source;
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
   * The name input's value.
   */
  get name(): string {
    return this._name;
  }

  /**
   * The name the file gives, once a dry run without an override told it.
   */
  get fileName(): string | null {
    return this._fileName;
  }

  /**
   * Set the name; validated again after a short pause in typing. A new name
   * is a new target: any update offer is withdrawn.
   */
  setName(value: string): void {
    if (value === this._name) {
      return;
    }
    this._name = value;
    this._nameTouched = true;
    this._mode = 'create';
    this._confirmed = false;
    this._prune = false;
    this._conflict = null;
    this._scheduleValidate();
  }

  get addIpykernel(): boolean {
    return this._addIpykernel;
  }

  setAddIpykernel(value: boolean): void {
    if (value === this._addIpykernel) {
      return;
    }
    this._addIpykernel = value;
    // It changes the plan's conda list.
    this._scheduleValidate(0);
  }

  /**
   * The tool the user picked; `auto` leaves it to the server (its first
   * conda CLI, else the built-in backend).
   */
  get backend(): CreateBackend {
    return this._backend;
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

  setBackend(value: CreateBackend): void {
    if (value === this._backend) {
      return;
    }
    this._backend = value;
    // The target line names the tool, and the server may refuse it (an
    // update needs a conda CLI): check again.
    this._scheduleValidate(0);
  }

  /**
   * The risks the user allowed.
   */
  get allowed(): ReadonlySet<RiskKind> {
    return this._allowed;
  }

  setAllowed(kind: RiskKind, allowed: boolean): void {
    if (allowed === this._allowed.has(kind)) {
      return;
    }
    if (allowed) {
      this._allowed.add(kind);
    } else {
      this._allowed.delete(kind);
    }
    this.stateChanged.emit();
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
   * Whether the dialog creates a new environment or updates the existing
   * one of that name.
   */
  get mode(): 'create' | 'update' {
    return this._mode;
  }

  /**
   * The server's message when the name is taken (409 "… exists"; not a
   * 409 for a job already changing it): the dialog then offers to update
   * that environment instead.
   */
  get conflict(): string | null {
    return this._conflict;
  }

  /**
   * Whether to offer updating the existing environment instead.
   */
  get canOfferUpdate(): boolean {
    return this._mode === 'create' && this._conflict !== null;
  }

  /**
   * Switch to updating the existing environment of that name; the update
   * still needs `confirmUpdate`.
   */
  offerUpdate(): void {
    if (!this.canOfferUpdate) {
      return;
    }
    this._mode = 'update';
    this._confirmed = false;
    this._conflict = null;
    if (this._backend === 'rattler') {
      // The built-in backend creates only.
      this._backend = 'auto';
    }
    this._scheduleValidate(0);
  }

  /**
   * Back to creating a new environment.
   */
  cancelUpdate(): void {
    if (this._mode !== 'update') {
      return;
    }
    this._mode = 'create';
    this._confirmed = false;
    this._prune = false;
    this._scheduleValidate(0);
  }

  /**
   * Whether packages the file does not name are removed by the update.
   */
  get prune(): boolean {
    return this._prune;
  }

  setPrune(value: boolean): void {
    if (value === this._prune || this._mode !== 'update') {
      return;
    }
    this._prune = value;
    this._confirmed = false;
    this._scheduleValidate(0);
  }

  /**
   * The user's explicit yes to changing an existing environment.
   */
  get updateConfirmed(): boolean {
    return this._confirmed;
  }

  confirmUpdate(value: boolean): void {
    if (value === this._confirmed) {
      return;
    }
    this._confirmed = value;
    this.stateChanged.emit();
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
    this._clearTimer();
    const ticket = ++this._ticket;
    this._status = 'validating';
    this.stateChanged.emit();
    try {
      const response = await this._client.createEnvironment({
        ...this._request([...RISK_KINDS]),
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

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._clearTimer();
    super.dispose();
  }

  private async _submit(): Promise<Job | null> {
    const ticket = ++this._ticket;
    this._status = 'submitting';
    this.stateChanged.emit();
    try {
      // Only what the user allowed: the server checks the opt-ins again.
      // The name and the file exactly as reviewed: a file edited since, or
      // a `name:` changed in it, is refused rather than silently used.
      const request = this._request([...this._allowed]);
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
   * The request body for the current choices.
   */
  private _request(allow: RiskKind[]): CreateRequest {
    const source: CreateRequest =
      this._source.kind === 'path'
        ? { path: this._source.path }
        : { content: this._source.content };
    const request: CreateRequest = {
      ...source,
      add_ipykernel: this._addIpykernel,
      allow
    };
    const name = this._name.trim();
    // The file's own name needs no override; any other does.
    if (name && name !== this._fileName) {
      request.name = name;
    }
    if (this._mode === 'update') {
      request.update = true;
      request.prune = this._prune;
    }
    if (this._backend !== 'auto') {
      request.backend = this._backend;
    }
    return request;
  }

  /**
   * Show a refusal; returns the status it leads to.
   */
  private _refused(reason: unknown): CreateModel.Status {
    const error = Private.errorOf(reason, this._trans);
    const why =
      reason instanceof RequestError
        ? Private.bodyOf(reason).reason
        : undefined;
    if (
      error.status === 409 &&
      this._mode === 'create' &&
      (why === 'exists' ||
        (why === undefined && Private.isExistsMessage(error.message)))
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

  private _scheduleValidate(delay: number = this._debounce): void {
    this._clearTimer();
    // Any answer on its way is for the previous choices.
    this._ticket++;
    this._status = 'validating';
    this.stateChanged.emit();
    this._timer = setTimeout(() => {
      this._timer = null;
      void this.validate();
    }, delay);
  }

  private _clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _client: CreateClient;
  private _source: CreateSource;
  private _trans: TranslationBundle;
  private _debounce: number;
  private _status: CreateModel.Status = 'validating';
  private _plan: CreatePlanResponse | null = null;
  private _error: CreateModel.IError | null = null;
  private _name = '';
  private _nameTouched = false;
  private _fileName: string | null = null;
  private _addIpykernel = true;
  private _backend: CreateBackend = 'auto';
  private _choices: ReadonlyArray<CreateBackendChoice> = [];
  private _allowed = new Set<RiskKind>();
  private _mode: 'create' | 'update' = 'create';
  private _conflict: string | null = null;
  private _prune = false;
  private _confirmed = false;
  private _job: Job | null = null;
  private _pending: Promise<Job | null> | null = null;
  private _ticket = 0;
  private _timer: ReturnType<typeof setTimeout> | null = null;
}

export namespace CreateModel {
  export interface IOptions {
    client: CreateClient;
    source: CreateSource;
    trans: TranslationBundle;
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
  export interface IError {
    /** The HTTP status; 0 when the server did not answer. */
    status: number;
    /** What to tell the user. */
    message: string;
    /** Where in the file, when the server said. */
    where: string | null;
    /** Risks the request did not allow. */
    needs: RiskKind[];
  }

  export const DEBOUNCE = 400;
}

namespace Private {
  /**
   * The server's 409 for a name or prefix that exists (not a busy one).
   */
  export function isExistsMessage(message: string): boolean {
    return /\bexists\b/i.test(message);
  }

  export function bodyOf(reason: RequestError): Partial<CreateErrorBody> {
    const body = reason.body;
    return typeof body === 'object' && body !== null
      ? (body as Partial<CreateErrorBody>)
      : {};
  }

  /**
   * A failed request as the dialog shows it.
   */
  export function errorOf(
    reason: unknown,
    trans: TranslationBundle
  ): CreateModel.IError {
    if (!(reason instanceof RequestError)) {
      return {
        status: 0,
        message: reason instanceof Error ? reason.message : String(reason),
        where: null,
        needs: []
      };
    }
    const body = bodyOf(reason);
    const where = typeof body.where === 'string' ? body.where : null;
    const needs = Array.isArray(body.needs)
      ? body.needs.filter((kind): kind is RiskKind =>
          (RISK_KINDS as ReadonlyArray<string>).includes(kind)
        )
      : [];
    let message = reason.message;
    switch (reason.status) {
      case 0:
        message = trans.__('The server did not answer: %1', reason.message);
        break;
      case 403:
        message = trans.__('Not allowed: %1', reason.message);
        break;
      case 413:
        message = trans.__('The file is too large: %1', reason.message);
        break;
      case 503:
        message = trans.__(
          'No conda, mamba or micromamba was found on the server (conda not found): %1',
          reason.message
        );
        break;
    }
    return { status: reason.status, message, where, needs };
  }
}

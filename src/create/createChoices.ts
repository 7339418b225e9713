import type { TranslationBundle } from '@jupyterlab/translation';

import { ServerModel } from '../core/serverModel';
import type { CreateBackend, CreateRequest, RiskKind } from './api';

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
 * The user's choices in the "Create environment from file" dialog, and the
 * request they make: the name, ipykernel, the tool, the risks allowed, and
 * whether to update the existing environment of that name instead.
 *
 * Every choice that changes the plan asks for a new dry run
 * (`scheduleValidate`); `CreateModel` runs it and holds the answer.
 */
export abstract class CreateChoices extends ServerModel {
  constructor(options: CreateChoices.IOptions) {
    super({ trans: options.trans });
    this._source = options.source;
  }

  get source(): CreateSource {
    return this._source;
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
    this.scheduleValidate();
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
    this.scheduleValidate(0);
  }

  /**
   * The tool the user picked; `auto` leaves it to the server (its first
   * conda CLI, else the built-in backend).
   */
  get backend(): CreateBackend {
    return this._backend;
  }

  setBackend(value: CreateBackend): void {
    if (value === this._backend) {
      return;
    }
    this._backend = value;
    // The target line names the tool, and the server may refuse it (an
    // update needs a conda CLI): check again.
    this.scheduleValidate(0);
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
    this.scheduleValidate(0);
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
    this.scheduleValidate(0);
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
    this.scheduleValidate(0);
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
   * The request body for the current choices.
   */
  protected request(allow: RiskKind[]): CreateRequest {
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
   * Run a new dry run after `delay` ms (by default, a pause in typing).
   */
  protected abstract scheduleValidate(delay?: number): void;

  protected _source: CreateSource;
  protected _name = '';
  protected _nameTouched = false;
  protected _fileName: string | null = null;
  protected _addIpykernel = true;
  protected _backend: CreateBackend = 'auto';
  protected _allowed = new Set<RiskKind>();
  protected _mode: 'create' | 'update' = 'create';
  protected _conflict: string | null = null;
  protected _prune = false;
  protected _confirmed = false;
}

export namespace CreateChoices {
  export interface IOptions {
    source: CreateSource;
    trans: TranslationBundle;
  }
}

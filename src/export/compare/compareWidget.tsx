import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { PromiseDelegate } from '@lumino/coreutils';
import * as React from 'react';

import { PackageDiff } from '../packageDiff';
import type { IPackageDiff } from '../drift/diff';

/**
 * The difference between two package sets, in a main-area tab: it loads
 * them itself (two environments, or a file and an environment), shows a
 * loading state, then the difference or why it could not be made.
 */
export class CompareWidget extends ReactWidget {
  constructor(options: CompareWidget.IOptions) {
    super();
    this._trans = options.trans;
    this.addClass('jp-CondaEnvs-Compare');
    this.title.label = options.title;
    this.title.caption = options.title;
    this.title.closable = true;
    void this._load(options.load);
  }

  /**
   * Settles when the comparison is shown (or failed).
   */
  get ready(): Promise<void> {
    return this._ready.promise;
  }

  protected render(): JSX.Element {
    const trans = this._trans;
    const state = this._state;
    if (state.status === 'loading') {
      return (
        <div className="jp-CondaEnvs-Compare-loading" role="status">
          {trans.__('Comparing…')}
        </div>
      );
    }
    if (state.status === 'error') {
      return (
        <div className="jp-CondaEnvs-Compare-error" role="alert">
          {state.message}
        </div>
      );
    }
    const { result } = state;
    return (
      <div className="jp-CondaEnvs-Compare-body" data-status="ready">
        <p className="jp-CondaEnvs-Compare-labels">
          {trans.__(
            'From %1 to %2',
            result.referenceLabel,
            result.currentLabel
          )}
        </p>
        {result.notes.map(note => (
          <p key={note} className="jp-CondaEnvs-Compare-note">
            {note}
          </p>
        ))}
        <PackageDiff
          diff={result.diff}
          referenceLabel={result.referenceLabel}
          currentLabel={result.currentLabel}
          trans={trans}
        />
      </div>
    );
  }

  private async _load(
    load: () => Promise<CompareWidget.IResult>
  ): Promise<void> {
    try {
      this._state = { status: 'ready', result: await load() };
    } catch (reason) {
      this._state = {
        status: 'error',
        message: this._trans.__(
          'Could not compare: %1',
          reason instanceof Error ? reason.message : String(reason)
        )
      };
    }
    this.update();
    this._ready.resolve();
  }

  private _trans: TranslationBundle;
  private _state:
    | { status: 'loading' }
    | { status: 'error'; message: string }
    | { status: 'ready'; result: CompareWidget.IResult } = {
    status: 'loading'
  };
  private _ready = new PromiseDelegate<void>();
}

export namespace CompareWidget {
  export interface IResult {
    diff: IPackageDiff;
    /** What the changes are counted from: a file, a snapshot, an env. */
    referenceLabel: string;
    /** What they are counted to: an environment now. */
    currentLabel: string;
    /** Remarks about the comparison (a file listing only top-level packages). */
    notes: string[];
  }

  export interface IOptions {
    title: string;
    load: () => Promise<IResult>;
    trans: TranslationBundle;
  }
}

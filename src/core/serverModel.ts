import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';

import { translationBundle } from './translation';

/**
 * The base of the models that ask the server and refresh: the environment
 * list, compatibility (and its machine facts), drift, create and jobs
 * models.
 *
 * It holds what they all do the same way: private state behind getters and
 * `stateChanged` (from `VDomModel`), the translation bundle, tickets that
 * order requests (an answer whose ticket is no longer the latest is
 * dropped: a newer request, or a change of subject, wins), and one timer
 * for the next poll or debounced request, cleared on dispose.
 */
export abstract class ServerModel extends VDomModel {
  constructor(options: ServerModel.IOptions = {}) {
    super();
    this.trans = options.trans ?? translationBundle(options.translator);
  }

  /**
   * The extension's strings.
   */
  protected readonly trans: TranslationBundle;

  /**
   * A number that orders requests: a later request has a larger one.
   */
  protected nextTicket(): number {
    return Private.nextTicket();
  }

  /**
   * Whether a timer set by `setTimer` is pending.
   */
  protected get timerPending(): boolean {
    return this._timer !== null;
  }

  /**
   * Run `callback` once after `delay` ms, in place of any pending timer.
   */
  protected setTimer(callback: () => void, delay: number): void {
    this.clearTimer();
    this._timer = setTimeout(() => {
      this._timer = null;
      callback();
    }, delay);
  }

  /**
   * Drop the pending timer, if any.
   */
  protected clearTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.clearTimer();
    super.dispose();
  }

  private _timer: ReturnType<typeof setTimeout> | null = null;
}

export namespace ServerModel {
  export interface IOptions {
    translator?: ITranslator;
    /** A bundle already loaded; wins over `translator`. */
    trans?: TranslationBundle;
  }
}

/**
 * A failure as a string for the user.
 */
export function describeError(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

namespace Private {
  let ticket = 0;

  export function nextTicket(): number {
    return ++ticket;
  }
}

import { Dialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Job } from '../jobs/api';
import { CreateForm } from './createForm';
import type { CreateSource } from './createChoices';
import { CreateModel } from './createModel';
import type { CreateClient } from './api';

/**
 * "Create environment from file": show what the file asks for (a dry run),
 * let the user name it, allow its risks and choose ipykernel, then start
 * the job. The dialog stays open until the server accepted the job, so its
 * refusals (a taken name, no conda) show in place.
 *
 * @returns the started job, or null when the dialog was cancelled
 */
export async function showCreateDialog(
  options: showCreateDialog.IOptions
): Promise<Job | null> {
  const { trans } = options;
  const model = new CreateModel({
    client: options.client,
    source: options.source,
    trans
  });
  const dialog = new CreateDialog({
    model,
    title: trans.__('Create a conda environment'),
    body: new CreateBody({ model, trans }),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({
        label: trans.__('Create'),
        className: CreateDialog.SUBMIT_CLASS
      })
    ],
    focusNodeSelector: '.jp-CondaEnvs-Create-name',
    trans
  });
  void model.validate();
  try {
    const result = await dialog.launch();
    if (result.button.accept) {
      return result.value ?? null;
    }
    // Closed while the server was starting the job: it runs all the same,
    // so it must still be followed (and can be cancelled there).
    return (await model.pending) ?? null;
  } finally {
    model.dispose();
  }
}

export namespace showCreateDialog {
  export interface IOptions {
    client: CreateClient;
    source: CreateSource;
    trans: TranslationBundle;
  }
}

/**
 * The dialog's body: the form, rendered whenever the model changes.
 */
export class CreateBody
  extends VDomRenderer<CreateModel>
  implements Dialog.IBodyWidget<Job | null>
{
  constructor(options: { model: CreateModel; trans: TranslationBundle }) {
    super(options.model);
    this._trans = options.trans;
    this.addClass('jp-CondaEnvs-CreateBody');
  }

  getValue(): Job | null {
    return this.model.job;
  }

  protected render(): JSX.Element {
    return React.createElement(CreateForm, {
      model: this.model,
      trans: this._trans
    });
  }

  private _trans: TranslationBundle;
}

/**
 * A dialog whose accept button submits: it is enabled only when the model
 * can submit (every risk allowed, an update confirmed), and the dialog
 * closes only once the job started.
 */
export class CreateDialog extends Dialog<Job | null> {
  constructor(options: CreateDialog.IOptions) {
    super(options);
    this._model = options.model;
    this._trans = options.trans;
    this._model.stateChanged.connect(this._sync, this);
    this._sync();
  }

  /**
   * Cancel closes; accept (a click, or Enter in the form) submits, and
   * closes with the job once the server started it.
   */
  resolve(index?: number): void {
    const accept = index === undefined || index === CreateDialog.SUBMIT_INDEX;
    if (!accept || this._model.job !== null) {
      super.resolve(index);
      return;
    }
    if (!this._model.canSubmit) {
      return;
    }
    void this._model.submit().then(job => {
      if (job !== null && !this.isDisposed) {
        super.resolve(CreateDialog.SUBMIT_INDEX);
      }
    });
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._model.stateChanged.disconnect(this._sync, this);
    super.dispose();
  }

  /**
   * The accept button follows the model: its label says what it does.
   */
  private _sync(): void {
    const button = this.node.querySelector<HTMLButtonElement>(
      `.${CreateDialog.SUBMIT_CLASS}`
    );
    if (!button) {
      return;
    }
    const model = this._model;
    button.disabled = !model.canSubmit;
    const name = model.plan?.target.name ?? model.name.trim();
    let label = this._trans.__('Create');
    if (model.status === 'submitting') {
      label = this._trans.__('Starting…');
    } else if (model.mode === 'update') {
      label = this._trans.__('Update %1', name);
    }
    const labelNode = button.querySelector('.jp-Dialog-buttonLabel');
    if (labelNode && labelNode.textContent !== label) {
      labelNode.textContent = label;
    }
  }

  private _model: CreateModel;
  private _trans: TranslationBundle;
}

export namespace CreateDialog {
  export interface IOptions extends Partial<Dialog.IOptions<Job | null>> {
    model: CreateModel;
    trans: TranslationBundle;
  }

  /**
   * The class of the accept button.
   */
  export const SUBMIT_CLASS = 'jp-CondaEnvs-Create-submit';

  /**
   * The index of the accept button (after Cancel).
   */
  export const SUBMIT_INDEX = 1;
}

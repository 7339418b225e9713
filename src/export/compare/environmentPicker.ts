import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import type { EnvironmentSummary } from '../../environments/api';

/**
 * Ask which environment to use, in a dialog with a labelled list.
 *
 * @returns the chosen environment, or null when the dialog was cancelled
 */
export async function pickEnvironment(
  options: pickEnvironment.IOptions
): Promise<EnvironmentSummary | null> {
  const { environments, trans } = options;
  if (environments.length === 0) {
    await showDialog({
      title: options.title,
      body: trans.__('No other conda environment is listed.'),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return null;
  }
  const body = new Private.PickerBody(options);
  const result = await showDialog({
    title: options.title,
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: options.acceptLabel ?? trans.__('Compare') })
    ],
    focusNodeSelector: 'select'
  });
  if (!result.button.accept || result.value === null) {
    return null;
  }
  return environments.find(env => env.id === result.value) ?? null;
}

export namespace pickEnvironment {
  export interface IOptions {
    title: string;
    /** What the list explains, above it. */
    label: string;
    environments: ReadonlyArray<EnvironmentSummary>;
    /** Selected at first. */
    preferredId?: string | null;
    acceptLabel?: string;
    trans: TranslationBundle;
  }
}

namespace Private {
  /**
   * A label and a `<select>` of environments; its value is the chosen id.
   */
  export class PickerBody
    extends Widget
    implements Dialog.IBodyWidget<string | null>
  {
    constructor(options: pickEnvironment.IOptions) {
      super();
      this.addClass('jp-CondaEnvs-Picker');
      const label = document.createElement('label');
      label.className = 'jp-CondaEnvs-Picker-label';
      label.textContent = options.label;
      this._select = document.createElement('select');
      this._select.className = 'jp-CondaEnvs-Picker-select jp-mod-styled';
      for (const env of options.environments) {
        const option = document.createElement('option');
        option.value = env.id;
        // Names and prefixes are shown as text, never parsed as markup.
        option.textContent =
          env.name === env.prefix ? env.name : `${env.name} — ${env.prefix}`;
        if (env.id === options.preferredId) {
          option.selected = true;
        }
        this._select.appendChild(option);
      }
      label.appendChild(this._select);
      this.node.appendChild(label);
    }

    getValue(): string | null {
      return this._select.value || null;
    }

    private _select: HTMLSelectElement;
  }
}

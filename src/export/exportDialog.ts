import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { Contents, ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { EnvironmentSummary } from '../environments/api';
import { EXPORT_MODES, ExportClient, ExportMode } from './api';

/**
 * "Export…" of an environment: choose a mode, see the file, then download it
 * or save it into the workspace (the file browser's folder).
 */
export async function showExportDialog(
  options: showExportDialog.IOptions
): Promise<void> {
  const { env, trans } = options;
  const body = new Private.ExportBody(options);
  const download = Dialog.okButton({
    label: trans.__('Download'),
    className: 'jp-CondaEnvs-Export-download'
  });
  const save = Dialog.okButton({
    label: trans.__('Save to Workspace'),
    className: 'jp-CondaEnvs-Export-save'
  });
  const result = await showDialog({
    title: trans.__('Export %1', env.name),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      save,
      download
    ],
    focusNodeSelector: 'select'
  });
  if (!result.button.accept || !result.value) {
    return;
  }
  const { mode, text } = result.value;
  const name = fileNameFor(env, mode);
  try {
    const content =
      text ?? (await options.client.exportEnvironment(env.id, mode));
    if (result.button.label === download.label) {
      Private.download(name, content);
      return;
    }
    const folder = options.folder();
    const path = folder ? PathExt.join(folder, name) : name;
    if (await Private.exists(options.contents, path)) {
      const answer = await showDialog({
        title: trans.__('Replace %1?', name),
        body: trans.__('%1 exists in the workspace. Replace it?', path),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.warnButton({ label: trans.__('Replace') })
        ]
      });
      if (!answer.button.accept) {
        return;
      }
    }
    await options.contents.save(path, {
      type: 'file',
      format: 'text',
      content
    });
    Notification.success(trans.__('Saved %1', path), { autoClose: 5000 });
  } catch (reason) {
    Notification.error(
      trans.__(
        'Could not export %1: %2',
        env.name,
        reason instanceof Error ? reason.message : String(reason)
      ),
      { autoClose: false }
    );
  }
}

export namespace showExportDialog {
  export interface IOptions {
    env: EnvironmentSummary;
    client: ExportClient;
    contents: Contents.IManager;
    /** The workspace folder to save into (the file browser's). */
    folder: () => string;
    /** The mode selected at first. */
    mode?: ExportMode;
    trans: TranslationBundle;
  }
}

/**
 * `llm_train.environment.yml`, `llm_train.explicit.txt`; a name that is a
 * path (an environment outside envs folders) gives its last folder's name.
 */
export function fileNameFor(env: EnvironmentSummary, mode: ExportMode): string {
  const base = (PathExt.basename(env.name) || 'environment').replace(
    /[^\p{L}\p{N}._-]+/gu,
    '_'
  );
  if (mode === 'explicit' || mode === 'requirements') {
    return `${base}.${mode}.txt`;
  }
  return `${base}.environment.yml`;
}

namespace Private {
  /**
   * The dialog's body: the mode, what it means, and the file it gives.
   */
  export class ExportBody
    extends Widget
    implements Dialog.IBodyWidget<{ mode: ExportMode; text: string | null }>
  {
    constructor(options: showExportDialog.IOptions) {
      super();
      const { trans } = options;
      this._options = options;
      this.addClass('jp-CondaEnvs-Export');
      const label = document.createElement('label');
      label.className = 'jp-CondaEnvs-Export-label';
      label.textContent = trans.__('Format');
      this._select = document.createElement('select');
      this._select.className = 'jp-CondaEnvs-Export-mode jp-mod-styled';
      const labels = modeLabels(trans);
      for (const mode of EXPORT_MODES) {
        const option = document.createElement('option');
        option.value = mode;
        option.textContent = labels[mode];
        option.selected = mode === (options.mode ?? 'history');
        this._select.appendChild(option);
      }
      label.appendChild(this._select);
      this._preview = document.createElement('pre');
      this._preview.className = 'jp-CondaEnvs-Export-preview';
      this._preview.tabIndex = 0;
      this._preview.setAttribute('aria-label', trans.__('The exported file'));
      this._preview.setAttribute('aria-live', 'polite');
      this.node.append(label, this._preview);
      this._select.addEventListener('change', () => void this._load());
      void this._load();
    }

    getValue(): { mode: ExportMode; text: string | null } {
      const mode = this._select.value as ExportMode;
      return {
        mode,
        text: this._loaded?.mode === mode ? this._loaded.text : null
      };
    }

    private async _load(): Promise<void> {
      const mode = this._select.value as ExportMode;
      const { client, env, trans } = this._options;
      this._preview.textContent = trans.__('Loading…');
      this._preview.dataset.status = 'loading';
      try {
        const text = await client.exportEnvironment(env.id, mode);
        if (this._select.value !== mode) {
          return; // the user chose another mode meanwhile
        }
        this._loaded = { mode, text };
        // As text: package metadata never becomes markup.
        this._preview.textContent = text;
        this._preview.dataset.status = 'ready';
      } catch (reason) {
        if (this._select.value !== mode) {
          return;
        }
        this._preview.textContent = trans.__(
          'Could not export: %1',
          reason instanceof Error ? reason.message : String(reason)
        );
        this._preview.dataset.status = 'error';
      }
    }

    private _options: showExportDialog.IOptions;
    private _select: HTMLSelectElement;
    private _preview: HTMLPreElement;
    private _loaded: { mode: ExportMode; text: string } | null = null;
  }

  export function modeLabels(
    trans: TranslationBundle
  ): Record<ExportMode, string> {
    return {
      history: trans.__('Requested packages (conda history, with pip)'),
      full: trans.__('Every package with its build (conda env export)'),
      'no-builds': trans.__('Every package, no builds (portable)'),
      explicit: trans.__('Explicit URLs (@EXPLICIT, exact rebuild)'),
      requirements: trans.__(
        'Requirements (conda export --format requirements, conda packages only)'
      )
    };
  }

  export async function exists(
    contents: Contents.IManager,
    path: string
  ): Promise<boolean> {
    try {
      await contents.get(path, { content: false });
      return true;
    } catch (reason) {
      // Only "not found" means absent: any other failure must not lead to
      // writing over a file without asking.
      if (
        reason instanceof ServerConnection.ResponseError &&
        reason.response.status === 404
      ) {
        return false;
      }
      throw reason;
    }
  }

  export function download(name: string, text: string): void {
    const url = URL.createObjectURL(
      new Blob([text], { type: 'text/plain;charset=utf-8' })
    );
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = name;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    // After the click has started the download.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

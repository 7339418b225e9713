import { Dialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import type { CreateSource } from './createChoices';

/**
 * The most a file may hold to be uploaded; the server refuses more anyway.
 */
export const MAX_UPLOAD_BYTES = 1024 * 1024;

/**
 * Ask which environment file to create from: a file of the workspace (its
 * path) or one uploaded from this computer (read here, as text).
 *
 * @returns the chosen source, or null when the dialog was cancelled or
 *   nothing was chosen
 */
export async function pickCreateSource(
  options: pickCreateSource.IOptions
): Promise<CreateSource | null> {
  const { trans } = options;
  const body = new SourceBody(options);
  const result = await showDialog({
    title: trans.__('New environment from file'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Next') })
    ],
    focusNodeSelector: '.jp-CondaEnvs-Source-path'
  });
  if (!result.button.accept) {
    return null;
  }
  return result.value ?? null;
}

export namespace pickCreateSource {
  export interface IOptions {
    /** A workspace path to start with (the file browser's selection). */
    path?: string;
    trans: TranslationBundle;
  }
}

/**
 * Read an uploaded file as text, refusing more than `MAX_UPLOAD_BYTES`.
 *
 * @throws {Error} with a message for the user when it is too large
 */
export async function readUpload(
  file: Blob & { name: string },
  trans: TranslationBundle
): Promise<CreateSource> {
  if (file.size > MAX_UPLOAD_BYTES) {
    throw new Error(
      trans.__(
        '%1 is larger than %2 KiB: it cannot be an environment file to create from.',
        file.name,
        MAX_UPLOAD_BYTES / 1024
      )
    );
  }
  const content = await Private.readText(file);
  return { kind: 'content', content, label: file.name };
}

/**
 * The dialog's body: a workspace path input, or "Upload a file…".
 */
export class SourceBody
  extends Widget
  implements Dialog.IBodyWidget<CreateSource | null>
{
  constructor(options: pickCreateSource.IOptions) {
    super();
    const { trans } = options;
    this._trans = trans;
    this.addClass('jp-CondaEnvs-Source');

    const label = Private.element(
      'label',
      'jp-CondaEnvs-Source-label',
      trans.__('A file in the workspace:')
    );
    this._path = Private.input(
      'text',
      'jp-CondaEnvs-Source-path jp-mod-styled'
    );
    this._path.placeholder = trans.__('path/to/environment.yml');
    this._path.value = options.path ?? '';
    this._path.spellcheck = false;
    this._path.addEventListener('input', () => {
      // Typing a path means the workspace file, not the upload.
      this._clearUpload();
    });
    label.appendChild(this._path);

    const or = Private.element('p', 'jp-CondaEnvs-Source-or', trans.__('or'));

    this._file = Private.input('file', 'jp-CondaEnvs-Source-file');
    this._file.accept = '.yml,.yaml';
    this._file.hidden = true;
    this._file.addEventListener('change', () => void this._onFile());
    const upload = Private.element(
      'button',
      'jp-CondaEnvs-Source-upload jp-Button jp-mod-styled jp-mod-reject',
      trans.__('Upload a file…')
    );
    upload.type = 'button';
    upload.addEventListener('click', () => this._file.click());

    this._status = Private.element('p', 'jp-CondaEnvs-Source-status');
    this._status.setAttribute('aria-live', 'polite');

    this.node.append(label, or, upload, this._file, this._status);
  }

  /**
   * The upload when one was read, else the typed path (if any).
   */
  getValue(): CreateSource | null {
    if (this._upload) {
      return this._upload;
    }
    const path = this._path.value.trim();
    return path ? { kind: 'path', path } : null;
  }

  /**
   * Settles when the chosen file has been read (for tests).
   */
  get reading(): Promise<void> {
    return this._reading;
  }

  private _onFile(): void {
    const file = this._file.files?.[0];
    this._clearUpload();
    if (!file) {
      return;
    }
    this._status.textContent = this._trans.__('Reading %1…', file.name);
    this._reading = readUpload(file, this._trans).then(
      source => {
        this._upload = source;
        this._path.value = '';
        this._status.dataset.status = 'ready';
        this._status.textContent = this._trans.__(
          'Uploaded %1 (%2 KiB)',
          file.name,
          Math.ceil(file.size / 1024)
        );
      },
      (reason: unknown) => {
        this._status.dataset.status = 'error';
        this._status.textContent =
          reason instanceof Error ? reason.message : String(reason);
      }
    );
  }

  private _clearUpload(): void {
    this._upload = null;
    this._status.textContent = '';
    delete this._status.dataset.status;
  }

  private _trans: TranslationBundle;
  private _path: HTMLInputElement;
  private _file: HTMLInputElement;
  private _status: HTMLParagraphElement;
  private _upload: CreateSource | null = null;
  private _reading: Promise<void> = Promise.resolve();
}

namespace Private {
  /**
   * A new element with its class names and, if given, its text.
   */
  export function element<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className: string,
    text?: string
  ): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /**
   * A new input of `type` with its class names.
   */
  export function input(type: string, className: string): HTMLInputElement {
    const node = element('input', className);
    node.type = type;
    return node;
  }

  /**
   * A Blob's text (through a FileReader where `Blob.text` is missing).
   */
  export function readText(blob: Blob): Promise<string> {
    if (typeof blob.text === 'function') {
      return blob.text();
    }
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () =>
        resolve(typeof reader.result === 'string' ? reader.result : '');
      reader.onerror = () =>
        reject(reader.error ?? new Error('The file could not be read'));
      reader.readAsText(blob);
    });
  }
}

import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { KernelMessage, KernelSpec, Session } from '@jupyterlab/services';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

import type { KernelsClient, ProjectEnvironment } from './api';
import { kernelRunsInProject } from './kernelEnvironment';

/**
 * What to do with a notebook that just opened: nothing, switch its kernel to
 * the project environment's, or ask first.
 */
export type AutoSwitchDecision = 'none' | 'switch' | 'ask';

/**
 * What the auto-switch decision depends on.
 */
export interface IAutoSwitchInput {
  /** The `autoSwitchProjectKernel` setting. */
  enabled: boolean;
  /** The notebook's project environment; null when it has none. */
  project: ProjectEnvironment | null;
  /** The kernelspec name of the notebook's kernel; null when it has none. */
  kernelName: string | null;
  /**
   * A session for the notebook's path was running before the notebook
   * opened: its kernel may hold state the user wants to keep.
   */
  sessionExisted: boolean;
  /** The kernelspec names grouped under the project's environment. */
  envKernels: ReadonlyArray<string>;
  /**
   * The kernelspec the notebook file names in its metadata, as it was read;
   * null for a new notebook whose kernel was picked when it was created.
   */
  fileKernelName?: string | null;
}

/**
 * Decide whether to switch a notebook to its project environment.
 *
 * Never acts without a project kernel or when the kernel already runs in the
 * project environment, and never replaces a kernel that was running before
 * the notebook opened without asking.
 */
export function decideAutoSwitch(input: IAutoSwitchInput): AutoSwitchDecision {
  const { project } = input;
  if (!input.enabled || project === null || project.kernel === null) {
    return 'none';
  }
  // A kernel someone picked (launcher card, "New notebook", kernel picker)
  // is a choice, not a default to correct: only a kernel that came from the
  // file is switched.
  if (
    input.fileKernelName !== undefined &&
    (input.fileKernelName === null || input.fileKernelName !== input.kernelName)
  ) {
    return 'none';
  }
  if (kernelRunsInProject(project, input.kernelName, input.envKernels)) {
    return 'none';
  }
  return input.sessionExisted ? 'ask' : 'switch';
}

/**
 * Switches notebooks to their project environment as they open, when the
 * setting is on.
 *
 * A document widget extension for notebooks: the registry calls `createNew`
 * synchronously while it creates the widget, before the notebook's session
 * context looks for (or starts) a session, so whether a session for the
 * path already ran can still be told apart from the one the notebook is
 * about to start.
 */
export class AutoSwitchExtension {
  constructor(options: AutoSwitchExtension.IOptions) {
    this._options = options;
    this._trans = (options.translator ?? nullTranslator).load(
      'jupyterlab_conda_envs'
    );
  }

  /**
   * Watch a notebook that is being created.
   */
  createNew(panel: NotebookPanel): void {
    const sessionContext = panel.sessionContext;
    if (sessionContext.isReady) {
      // Another view of a notebook that is already open: it was looked at
      // when it opened.
      return;
    }
    const sessionExisted = Private.hasSession(
      this._options.sessions,
      panel.context.localPath
    );
    // The file's kernelspec as read, before the session writes the kernel
    // it starts into the metadata.
    let fileKernel: string | null = null;
    void panel.context.ready.then(() => {
      fileKernel = Private.fileKernelName(panel);
    });
    sessionContext.ready
      .then(() => this._onReady(panel, sessionExisted, () => fileKernel))
      .catch(reason => {
        console.warn(
          'Could not switch the notebook to its project environment',
          reason
        );
      });
  }

  /**
   * The notebook has its session: decide and act.
   */
  private async _onReady(
    panel: NotebookPanel,
    sessionExisted: boolean,
    fileKernel: () => string | null
  ): Promise<void> {
    // The kernel the decision is about: if it runs code (or is replaced)
    // while the server is asked, it is no longer ours to replace.
    const kernelId = panel.sessionContext.session?.kernel?.id ?? null;
    let used = false;
    const onIopub = (_: unknown, msg: KernelMessage.IMessage): void => {
      if (msg.header.msg_type === 'execute_input') {
        used = true;
      }
    };
    panel.sessionContext.iopubMessage.connect(onIopub);
    try {
      await this._decideAndSwitch(panel, sessionExisted, fileKernel, () => {
        const now = panel.sessionContext.session?.kernel?.id ?? null;
        return !used && now === kernelId;
      });
    } finally {
      panel.sessionContext.iopubMessage.disconnect(onIopub);
    }
  }

  private async _decideAndSwitch(
    panel: NotebookPanel,
    sessionExisted: boolean,
    fileKernel: () => string | null,
    untouched: () => boolean
  ): Promise<void> {
    const options = this._options;
    if (panel.isDisposed || !(await options.isEnabled())) {
      return;
    }
    const path = panel.context.localPath;
    const response = await options.client.getProject(path);
    const project = response.project;
    if (project === null || project.kernel === null || panel.isDisposed) {
      return;
    }
    const envKernels = await options.kernelsOf(project.environment_id);
    const decide = (): AutoSwitchDecision =>
      decideAutoSwitch({
        enabled: true,
        project,
        kernelName: Private.kernelName(panel),
        sessionExisted,
        envKernels,
        fileKernelName: fileKernel()
      });
    const decision = decide();
    const target = project.kernel;
    if (decision === 'none' || !(await this._hasKernelSpec(target))) {
      // No such kernelspec: the server's kernel manager is not the
      // extension's, and switching would only fail.
      return;
    }
    if (decision === 'ask' && !(await this._ask(panel, project))) {
      return;
    }
    // The user may have picked a kernel, or run a cell, while we asked the
    // server: then the kernel is in use and stays (unless they said Switch).
    if (
      panel.isDisposed ||
      decide() === 'none' ||
      (decision === 'switch' && !untouched())
    ) {
      return;
    }
    await panel.sessionContext.changeKernel({ name: target });
    if (decision === 'switch') {
      const notify = options.notify ?? Private.notify;
      notify(
        this._trans.__(
          'Switched %1 to its project environment %2',
          PathExt.basename(path),
          project.name
        )
      );
    }
  }

  /**
   * Whether JupyterLab knows the kernelspec, after a refresh if it did not:
   * an environment created since the page loaded has a spec the cached list
   * lacks.
   */
  private async _hasKernelSpec(name: string): Promise<boolean> {
    const kernelspecs = this._options.kernelspecs;
    await kernelspecs.ready;
    if (kernelspecs.specs?.kernelspecs[name]) {
      return true;
    }
    await kernelspecs.refreshSpecs();
    return !!kernelspecs.specs?.kernelspecs[name];
  }

  private async _ask(
    panel: NotebookPanel,
    project: ProjectEnvironment
  ): Promise<boolean> {
    const trans = this._trans;
    const name = Private.kernelName(panel);
    const current =
      name === null
        ? trans.__('no kernel')
        : (this._options.kernelspecs.specs?.kernelspecs[name]?.display_name ??
          name);
    const ask = this._options.ask ?? Private.ask;
    return ask(
      trans.__('Switch kernel?'),
      trans.__(
        '%1 is running %2, not its project environment %3. Switch its kernel to %3? The running kernel and its variables will be shut down.',
        PathExt.basename(panel.context.path),
        current,
        project.name
      ),
      trans.__('Keep current kernel'),
      trans.__('Switch')
    );
  }

  private _options: AutoSwitchExtension.IOptions;
  private _trans: TranslationBundle;
}

export namespace AutoSwitchExtension {
  export interface IOptions {
    client: KernelsClient;
    /** The running sessions, to tell a notebook reopened on a live kernel. */
    sessions: Session.IManager;
    kernelspecs: KernelSpec.IManager;
    /** The `autoSwitchProjectKernel` setting, once settings are loaded. */
    isEnabled: () => boolean | Promise<boolean>;
    /** The kernelspec names grouped under an environment. */
    kernelsOf: (environmentId: string) => Promise<ReadonlyArray<string>>;
    /**
     * Ask a yes/no question; resolves to whether the user accepted. Defaults
     * to a JupyterLab dialog.
     */
    ask?: (
      title: string,
      body: string,
      reject: string,
      accept: string
    ) => Promise<boolean>;
    /** Tell the user what happened; defaults to a notification. */
    notify?: (message: string) => void;
    translator?: ITranslator;
  }
}

namespace Private {
  /**
   * Whether a session for `path` is running, as far as the manager knows.
   *
   * Before its first listing the manager knows nothing: count that as a
   * session, so a live kernel is never replaced without asking.
   */
  export function hasSession(
    sessions: Session.IManager,
    path: string
  ): boolean {
    if (!sessions.isReady) {
      return true;
    }
    for (const model of sessions.running()) {
      if (model.path === path) {
        return true;
      }
    }
    return false;
  }

  export function fileKernelName(panel: NotebookPanel): string | null {
    const spec = panel.model?.getMetadata('kernelspec') as
      { name?: unknown } | undefined;
    return typeof spec?.name === 'string' && spec.name ? spec.name : null;
  }

  export function kernelName(panel: NotebookPanel): string | null {
    return panel.sessionContext.session?.kernel?.name ?? null;
  }

  export async function ask(
    title: string,
    body: string,
    reject: string,
    accept: string
  ): Promise<boolean> {
    const result = await showDialog({
      title,
      body,
      buttons: [
        Dialog.cancelButton({ label: reject }),
        Dialog.okButton({ label: accept })
      ]
    });
    return result.button.accept;
  }

  export function notify(message: string): void {
    Notification.info(message, { autoClose: 5000 });
  }
}

import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  IToolbarWidgetRegistry,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { ToolbarButton } from '@jupyterlab/ui-components';

import type {
  ExportClient,
  SnapshotMode,
  SnapshotRequest,
  SnapshotResponse
} from './api';
import {
  METADATA_KEY,
  snapshotMetadata,
  withSnapshot
} from './drift/snapshotMetadata';
import { snapshotIcon } from '../core/icons';
import { environmentOfKernel } from '../kernels/kernelEnvironment';
import type { EnvironmentsModel } from '../environments/model';
import { RequestError } from '../core/request';

/**
 * The command ids of the snapshot feature.
 */
namespace CommandIDs {
  export const snapshot = 'conda-envs:snapshot-environment';
}

/**
 * The name of the notebook toolbar item (placed by the settings schema).
 */
export const SNAPSHOT_ITEM_NAME = 'condaEnvsSnapshot';

/**
 * "Snapshot Environment": write the export of the current notebook's kernel
 * environment beside it and record it in the notebook's metadata; as a
 * palette command and a notebook toolbar button.
 */
export function addSnapshotCommands(
  app: JupyterFrontEnd,
  options: ISnapshotOptions
): void {
  const { commands } = app;
  const { tracker, trans } = options;

  commands.addCommand(CommandIDs.snapshot, {
    label: trans.__('Snapshot Environment'),
    caption: trans.__(
      "Write the kernel's conda environment beside the notebook (environment.yml) and record it in the notebook"
    ),
    icon: args => (args['isPalette'] ? undefined : snapshotIcon),
    isEnabled: () => !!tracker?.currentWidget,
    execute: async () => {
      const panel = tracker?.currentWidget;
      if (panel) {
        await snapshotNotebook(panel, options);
      }
    }
  });
  options.palette?.addItem({
    command: CommandIDs.snapshot,
    category: trans.__('Conda Environments'),
    args: { isPalette: true }
  });
  tracker?.currentChanged.connect(() =>
    commands.notifyCommandChanged(CommandIDs.snapshot)
  );

  options.toolbarRegistry?.addFactory<NotebookPanel>(
    'Notebook',
    SNAPSHOT_ITEM_NAME,
    panel => {
      const button = new ToolbarButton({
        icon: snapshotIcon,
        className: 'jp-CondaEnvs-SnapshotButton',
        tooltip: trans.__(
          "Snapshot the kernel's conda environment beside this notebook"
        ),
        // This notebook's, not the current one's: a toolbar belongs to one.
        onClick: () => {
          void snapshotNotebook(panel, options);
        }
      });
      button.addClass('jp-CondaEnvs-SnapshotItem');
      return button;
    }
  );
}

/**
 * What the snapshot commands need from the plugin.
 */
export interface ISnapshotOptions {
  client: ExportClient;
  model: EnvironmentsModel;
  tracker: INotebookTracker | null;
  trans: TranslationBundle;
  /** The format from the settings. */
  mode: () => SnapshotMode;
  /** Told after a snapshot was recorded, to compare again. */
  onSnapshot?: (panel: NotebookPanel) => void;
  palette?: ICommandPalette | null;
  toolbarRegistry?: IToolbarWidgetRegistry | null;
}

/**
 * Snapshot one notebook's kernel environment; reports through notifications.
 *
 * @returns the server's answer, or null when nothing was written
 */
export async function snapshotNotebook(
  panel: NotebookPanel,
  options: ISnapshotOptions
): Promise<SnapshotResponse | null> {
  const { client, model, trans } = options;
  try {
    await panel.sessionContext.ready;
    const kernelName = panel.sessionContext.session?.kernel?.name;
    if (!kernelName) {
      Notification.warning(
        trans.__(
          'This notebook has no kernel: choose a kernel in a conda environment, then snapshot it.'
        ),
        { autoClose: 6000 }
      );
      return null;
    }
    await model.ensureLoaded();
    let env = environmentOfKernel(model.environments, kernelName);
    if (!env) {
      // A kernel of an environment created since the last listing.
      await model.refresh();
      env = environmentOfKernel(model.environments, kernelName);
    }
    if (!env) {
      Notification.warning(
        trans.__(
          'The kernel "%1" does not run in a conda environment this panel knows, so there is nothing to snapshot.',
          kernelName
        ),
        { autoClose: 8000 }
      );
      return null;
    }
    const request: SnapshotRequest = {
      path: panel.context.localPath,
      mode: options.mode()
    };
    const response = await Private.writeAsking(client, env.id, request, trans);
    if (!response) {
      return null;
    }
    const notebook = panel.model;
    if (notebook) {
      const wasDirty = notebook.dirty;
      notebook.setMetadata(
        METADATA_KEY,
        withSnapshot(
          notebook.getMetadata(METADATA_KEY),
          snapshotMetadata(response)
        )
      );
      // A notebook that had no unsaved changes stays that way: the record
      // belongs with the file just written.
      if (!wasDirty) {
        await panel.context.save();
      }
    }
    options.onSnapshot?.(panel);
    Notification.success(
      trans.__('Snapshot of %1 written to %2', env.name, response.file),
      { autoClose: 5000 }
    );
    return response;
  } catch (reason) {
    Notification.error(
      trans.__(
        'Could not snapshot the environment: %1',
        reason instanceof Error ? reason.message : String(reason)
      ),
      { autoClose: false }
    );
    return null;
  }
}

namespace Private {
  /**
   * Write the snapshot; when the file exists, ask before replacing it.
   */
  export async function writeAsking(
    client: ExportClient,
    id: string,
    request: SnapshotRequest,
    trans: TranslationBundle
  ): Promise<SnapshotResponse | null> {
    try {
      return await client.snapshot(id, request);
    } catch (reason) {
      if (!(reason instanceof RequestError) || reason.status !== 409) {
        throw reason;
      }
      const file = fileOf(reason.body) ?? request.path;
      const answer = await showDialog({
        title: trans.__('Replace the snapshot?'),
        body: trans.__(
          '%1 exists. Replace it with a new snapshot of the environment?',
          file
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.warnButton({ label: trans.__('Replace') })
        ]
      });
      if (!answer.button.accept) {
        return null;
      }
      return client.snapshot(id, { ...request, overwrite: true });
    }
  }

  export function fileOf(body: unknown): string | null {
    if (typeof body === 'object' && body !== null && 'file' in body) {
      const file = (body as { file: unknown }).file;
      return typeof file === 'string' ? file : null;
    }
    return null;
  }
}

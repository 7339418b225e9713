import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { TranslationBundle } from '@jupyterlab/translation';

import { condaEnvsIcon } from '../core/icons';
import { selectedYamlPath, YAML_ITEM_SELECTOR } from '../core/selectedFile';
import { showCreateDialog } from './createDialog';
import type { CreateSource } from './createChoices';
import type { JobsModel } from '../jobs/jobsModel';
import { pickCreateSource } from './sourceDialog';
import type { CreateClient } from './api';

/**
 * The command ids of creating environments.
 */
export namespace CreateCommandIDs {
  export const createFromFile = 'conda-envs:create-from-file';
}

/**
 * "Create Conda Environment" from an environment file: a command (with a
 * `path`, or asking for a workspace file or an upload), on YAML files in
 * the file browser, in the palette and as a launcher card. A started job
 * goes to the jobs model.
 */
export function addCreateCommands(
  app: JupyterFrontEnd,
  options: ICreateOptions
): void {
  const { commands } = app;
  const { trans } = options;

  commands.addCommand(CreateCommandIDs.createFromFile, {
    label: args => {
      if (args['isLauncher']) {
        return trans.__('New Conda Environment');
      }
      if (args['fromBrowser']) {
        return trans.__('Create Conda Environment');
      }
      return trans.__('New Conda Environment from File…');
    },
    caption: trans.__(
      'Create a conda environment from an environment.yml: see what it asks for, then follow the job'
    ),
    icon: args =>
      args['isPalette'] || args['fromBrowser'] ? undefined : condaEnvsIcon,
    isVisible: args =>
      !args['fromBrowser'] || selectedYamlPath(options.fileBrowser) !== null,
    execute: async args => {
      let source: CreateSource | null = null;
      const selected = selectedYamlPath(options.fileBrowser);
      if (typeof args['path'] === 'string' && args['path']) {
        source = { kind: 'path', path: args['path'] };
      } else if (args['fromBrowser'] && selected) {
        source = { kind: 'path', path: selected };
      } else {
        source = await pickCreateSource({ path: selected ?? undefined, trans });
      }
      if (!source) {
        return null;
      }
      const job = await showCreateDialog({
        client: options.client,
        source,
        trans
      });
      if (job) {
        options.jobs.add(job);
        options.onStarted?.();
      }
      return job;
    }
  });

  app.contextMenu.addItem({
    command: CreateCommandIDs.createFromFile,
    args: { fromBrowser: true },
    selector: YAML_ITEM_SELECTOR,
    rank: 59
  });
  options.palette?.addItem({
    command: CreateCommandIDs.createFromFile,
    category: trans.__('Conda Environments'),
    args: { isPalette: true }
  });
  options.launcher?.add({
    command: CreateCommandIDs.createFromFile,
    category: trans.__('Other'),
    rank: 11,
    args: { isLauncher: true }
  });
}

/**
 * What creating environments needs from the plugin.
 */
export interface ICreateOptions {
  client: CreateClient;
  jobs: JobsModel;
  fileBrowser: IDefaultFileBrowser | null;
  palette?: ICommandPalette | null;
  launcher?: ILauncher | null;
  /** A job started: e.g. show the panel, where it is followed. */
  onStarted?: () => void;
  trans: TranslationBundle;
}

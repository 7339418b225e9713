import { JupyterFrontEnd } from '@jupyterlab/application';
import type { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import type { TranslationBundle } from '@jupyterlab/translation';

import type { EnvironmentsModel } from '../environments/model';
import type { ExportClient, ExportMode } from './api';
import { pickEnvironment } from './compare/environmentPicker';
import { showExportDialog } from './exportDialog';

/**
 * The command ids of exporting environments.
 */
export namespace ExportCommandIDs {
  export const exportEnvironment = 'conda-envs:export-environment';
}

/**
 * "Export Conda Environment…": of the environment `id`, else of one the
 * user picks.
 */
export function addExportCommands(
  app: JupyterFrontEnd,
  options: IExportOptions
): void {
  const { client, model, fileBrowser, trans } = options;
  app.commands.addCommand(ExportCommandIDs.exportEnvironment, {
    label: trans.__('Export Conda Environment…'),
    caption: trans.__(
      'Export an environment to environment.yml (or an explicit list): download it or save it into the workspace'
    ),
    execute: async args => {
      await model.ensureLoaded();
      const env =
        model.environments.find(e => e.id === args['id']) ??
        (await pickEnvironment({
          title: trans.__('Export a conda environment'),
          label: trans.__('Environment to export:'),
          environments: model.environments,
          preferredId: model.activeEnvId,
          acceptLabel: trans.__('Next'),
          trans
        }));
      if (!env) {
        return;
      }
      await showExportDialog({
        env,
        client,
        contents: app.serviceManager.contents,
        folder: () => fileBrowser?.model.path ?? '',
        mode: options.mode(),
        trans
      });
    }
  });
}

/**
 * What exporting needs from the plugin.
 */
export interface IExportOptions {
  client: ExportClient;
  model: EnvironmentsModel;
  fileBrowser: IDefaultFileBrowser | null;
  /** The export mode from the settings (the default until they load). */
  mode: () => ExportMode;
  trans: TranslationBundle;
}

import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, ISessionContext } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';

import { CondaEnvsClient } from './api';
import { condaEnvsIcon } from './icons';
import { EnvironmentsModel } from './model';
import { CondaEnvsPanel } from './panel';

/**
 * The command ids of the extension.
 */
namespace CommandIDs {
  export const showPanel = 'conda-envs:show-panel';
  export const useKernel = 'conda-envs:use-kernel';
  export const newNotebook = 'conda-envs:new-notebook';
  export const refresh = 'conda-envs:refresh';
}

const PLUGIN_ID = 'jupyterlab-conda-envs:plugin';

/**
 * The conda environments panel, its commands, launcher card and settings.
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'A side panel listing conda environments, their packages and kernels.',
  autoStart: true,
  requires: [ITranslator],
  optional: [
    ILayoutRestorer,
    ICommandPalette,
    ILauncher,
    ISettingRegistry,
    INotebookTracker
  ],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    settingRegistry: ISettingRegistry | null,
    tracker: INotebookTracker | null
  ): void => {
    const { commands, shell } = app;
    const trans = translator.load('jupyterlab_conda_envs');
    const client = new CondaEnvsClient({
      serverSettings: app.serviceManager.serverSettings
    });
    const model = new EnvironmentsModel({ client, translator });

    const panel = new CondaEnvsPanel({
      model,
      translator,
      actions: {
        useKernel: kernelName => {
          void commands.execute(CommandIDs.useKernel, { kernelName });
        },
        newNotebook: kernelName => {
          void commands.execute(CommandIDs.newNotebook, { kernelName });
        }
      }
    });
    shell.add(panel, 'left', { rank: 700, type: 'Conda Environments' });
    restorer?.add(panel, 'conda-envs-panel');

    const category = trans.__('Conda Environments');

    commands.addCommand(CommandIDs.showPanel, {
      label: trans.__('Conda Environments'),
      caption: trans.__('Show the conda environments panel'),
      icon: args => (args['isPalette'] ? undefined : condaEnvsIcon),
      execute: () => {
        shell.activateById(panel.id);
      }
    });

    commands.addCommand(CommandIDs.refresh, {
      label: trans.__('Refresh Conda Environments'),
      caption: trans.__('Read the conda environments again'),
      icon: args => (args['isPalette'] ? undefined : refreshIcon),
      execute: () => model.refresh()
    });

    commands.addCommand(CommandIDs.useKernel, {
      label: trans.__('Use Kernel in the Current Notebook'),
      caption: trans.__('Switch the current notebook to a kernelspec'),
      isEnabled: () => !!tracker?.currentWidget,
      execute: async args => {
        const name = args['kernelName'];
        const notebook = tracker?.currentWidget;
        if (typeof name !== 'string' || !name || !notebook) {
          return;
        }
        // The standard kernel switch: the notebook keeps its session.
        await notebook.sessionContext.changeKernel({ name });
      }
    });

    commands.addCommand(CommandIDs.newNotebook, {
      label: trans.__('New Notebook with Kernel'),
      caption: trans.__('Open a new notebook with a kernelspec'),
      execute: args => {
        const name = args['kernelName'];
        if (typeof name !== 'string' || !name) {
          return;
        }
        // The notebook extension's own command, as the launcher cards use it.
        return commands.execute('notebook:create-new', { kernelName: name });
      }
    });

    if (palette) {
      palette.addItem({
        command: CommandIDs.showPanel,
        category,
        args: { isPalette: true }
      });
      palette.addItem({
        command: CommandIDs.refresh,
        category,
        args: { isPalette: true }
      });
    }

    launcher?.add({
      command: CommandIDs.showPanel,
      category: trans.__('Other'),
      rank: 10
    });

    if (tracker) {
      Private.followNotebook(tracker, model, () =>
        commands.notifyCommandChanged(CommandIDs.useKernel)
      );
    }

    if (settingRegistry) {
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          const apply = (): void => {
            const interval = settings.get('refreshInterval').composite;
            if (typeof interval === 'number') {
              model.refreshInterval = interval;
            }
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.error(
            `Failed to load the settings of ${PLUGIN_ID}; using the defaults.`,
            reason
          );
        });
    }
  }
};

namespace Private {
  /**
   * Keep `model.notebookOpen` and `model.activeKernelName` in step with the
   * current notebook and its kernel.
   */
  export function followNotebook(
    tracker: INotebookTracker,
    model: EnvironmentsModel,
    onChange: () => void
  ): void {
    let watched: ISessionContext | null = null;

    const update = (): void => {
      const context = tracker.currentWidget?.sessionContext ?? null;
      model.notebookOpen = context !== null;
      model.activeKernelName = context?.session?.kernel?.name ?? null;
      onChange();
    };

    const onCurrentChanged = (
      _: INotebookTracker,
      panel: NotebookPanel | null
    ): void => {
      watched?.kernelChanged.disconnect(update);
      watched?.sessionChanged.disconnect(update);
      watched = panel?.sessionContext ?? null;
      watched?.kernelChanged.connect(update);
      watched?.sessionChanged.connect(update);
      update();
    };

    tracker.currentChanged.connect(onCurrentChanged);
    onCurrentChanged(tracker, tracker.currentWidget);
  }
}

export default plugin;

import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';

import type { CompatModel } from '../compat/compatModel';
import { condaEnvsIcon } from '../core/icons';
import { CreateCommandIDs } from '../create/createCommands';
import { CompareCommandIDs } from '../export/compare/compareCommands';
import type { DriftModel } from '../export/drift/driftModel';
import { ExportCommandIDs } from '../export/exportCommands';
import type { JobsModel } from '../jobs/jobsModel';
import { KernelCommandIDs } from '../kernels/kernelCommands';
import type { EnvironmentsModel } from './model';
import { CondaEnvsPanel } from './panel';

/**
 * The command ids of the panel.
 */
export namespace PanelCommandIDs {
  export const showPanel = 'conda-envs:show-panel';
  export const refresh = 'conda-envs:refresh';
  export const revealEnvironment = 'conda-envs:reveal-environment';
}

/**
 * Build the side panel, put it in the left area (restored with the layout),
 * and add its commands: show, refresh, reveal an environment.
 */
export function addPanel(
  app: JupyterFrontEnd,
  options: IPanelOptions
): CondaEnvsPanel {
  const { commands, shell } = app;
  const { model, compat, trans, tracker } = options;
  const panel = new CondaEnvsPanel({
    model,
    compat,
    translator: options.translator,
    actions: {
      useKernel: kernelName =>
        commands.execute(KernelCommandIDs.useKernel, { kernelName }),
      newNotebook: kernelName => {
        void commands.execute(KernelCommandIDs.newNotebook, { kernelName });
      },
      exportEnvironment: id => {
        void commands.execute(ExportCommandIDs.exportEnvironment, { id });
      },
      compareEnvironment: id => {
        void commands.execute(CompareCommandIDs.compareEnvironments, { id });
      }
    },
    onRefresh: () => {
      void commands.execute(PanelCommandIDs.refresh);
    },
    drift: options.drift,
    onSnapshot: () => {
      const current = tracker?.currentWidget;
      if (current) {
        options.onSnapshot(current);
      }
    },
    onCreate: () => {
      void commands.execute(CreateCommandIDs.createFromFile);
    },
    jobs: options.jobs,
    onNewNotebookInJob: options.onNewNotebookInJob
  });
  shell.add(panel, 'left', { rank: 700, type: 'Conda Environments' });
  options.restorer?.add(panel, 'conda-envs-panel');

  commands.addCommand(PanelCommandIDs.showPanel, {
    label: trans.__('Conda Environments'),
    caption: trans.__('Show the conda environments panel'),
    icon: args => (args['isPalette'] ? undefined : condaEnvsIcon),
    execute: () => {
      shell.activateById(panel.id);
    }
  });

  commands.addCommand(PanelCommandIDs.refresh, {
    label: trans.__('Refresh Conda Environments'),
    caption: trans.__(
      'Read the conda environments and the GPUs of this machine again'
    ),
    icon: args => (args['isPalette'] ? undefined : refreshIcon),
    // The launcher and kernel picker cache the kernelspecs: an environment
    // created or removed since they were read shows up only after this.
    execute: () =>
      Promise.all([model.refresh(), compat.refresh(), options.refreshSpecs()])
  });

  commands.addCommand(PanelCommandIDs.revealEnvironment, {
    label: trans.__('Show Environment in the Conda Environments Panel'),
    caption: trans.__('Open the conda environments panel at one environment'),
    execute: args => {
      shell.activateById(panel.id);
      const id = args['id'];
      if (typeof id === 'string' && id) {
        model.reveal(id);
      }
    }
  });
  return panel;
}

/**
 * What the panel needs from the plugin.
 */
export interface IPanelOptions {
  model: EnvironmentsModel;
  compat: CompatModel;
  drift: DriftModel;
  jobs: JobsModel;
  tracker: INotebookTracker | null;
  restorer: ILayoutRestorer | null;
  /** Snapshot the current notebook's environment. */
  onSnapshot: (
    notebook: NonNullable<INotebookTracker['currentWidget']>
  ) => void;
  onNewNotebookInJob: CondaEnvsPanel.IOptions['onNewNotebookInJob'];
  /** Read the kernelspecs again. */
  refreshSpecs: () => Promise<void>;
  translator: ITranslator;
  trans: TranslationBundle;
}

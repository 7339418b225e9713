import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  ISessionContext,
  IToolbarWidgetRegistry
} from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';

import { CondaEnvsClient } from './client';
import { EXPORT_MODES, ExportMode } from './export/api';
import { AutoSwitchExtension } from './kernels/autoSwitch';
import {
  addCompareCommands,
  CompareCommandIDs
} from './export/compare/compareCommands';
import { CompatModel } from './compat/compatModel';
import { addCreateCommands, CreateCommandIDs } from './create/createCommands';
import { followJobs, newNotebookInJob } from './jobs/jobActions';
import { JobsModel } from './jobs/jobsModel';
import { DriftModel } from './export/drift/driftModel';
import { showExportDialog } from './export/exportDialog';
import { condaEnvsIcon } from './core/icons';
import {
  INDICATOR_ITEM_NAME,
  KernelEnvIndicator
} from './kernels/kernelEnvIndicator';
import { pickEnvironment } from './export/compare/environmentPicker';
import { kernelNamesOf } from './kernels/kernelEnvironment';
import { EnvironmentsModel } from './environments/model';
import { CondaEnvsPanel } from './environments/panel';
import {
  addSnapshotCommands,
  snapshotNotebook
} from './export/snapshotCommands';

/**
 * The command ids of the extension.
 */
namespace CommandIDs {
  export const showPanel = 'conda-envs:show-panel';
  export const useKernel = 'conda-envs:use-kernel';
  export const newNotebook = 'conda-envs:new-notebook';
  export const refresh = 'conda-envs:refresh';
  export const revealEnvironment = 'conda-envs:reveal-environment';
  export const toggleAutoSwitch = 'conda-envs:toggle-auto-switch';
  export const exportEnvironment = 'conda-envs:export-environment';
}

const PLUGIN_ID = 'jupyterlab-conda-envs:plugin';

/**
 * The setting that switches opening notebooks to their project environment.
 */
const AUTO_SWITCH_SETTING = 'autoSwitchProjectKernel';

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
    INotebookTracker,
    IToolbarWidgetRegistry,
    IDefaultFileBrowser
  ],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    settingRegistry: ISettingRegistry | null,
    tracker: INotebookTracker | null,
    toolbarRegistry: IToolbarWidgetRegistry | null,
    fileBrowser: IDefaultFileBrowser | null
  ): void => {
    const { commands, shell, serviceManager } = app;
    const trans = translator.load('jupyterlab_conda_envs');
    const client = new CondaEnvsClient({
      serverSettings: serviceManager.serverSettings
    });
    const model = new EnvironmentsModel({ client, translator });
    const compat = new CompatModel({ client, environments: model, translator });
    const drift = new DriftModel({ client, environments: model });
    const jobs = new JobsModel({ client, translator });
    const jobActions = {
      model,
      openNotebook: (kernelName: string) =>
        commands.execute(CommandIDs.newNotebook, { kernelName }),
      refreshSpecs: () => Private.refreshSpecs(app),
      trans
    };
    // The snapshot format from the settings; the default until they load.
    let snapshotMode: ExportMode = 'history';
    const snapshotOptions = {
      client,
      model,
      tracker,
      trans,
      mode: () => snapshotMode,
      onSnapshot: () => void drift.recheck(),
      palette,
      toolbarRegistry
    };

    const panel = new CondaEnvsPanel({
      model,
      compat,
      translator,
      actions: {
        useKernel: kernelName =>
          commands.execute(CommandIDs.useKernel, { kernelName }),
        newNotebook: kernelName => {
          void commands.execute(CommandIDs.newNotebook, { kernelName });
        },
        exportEnvironment: id => {
          void commands.execute(CommandIDs.exportEnvironment, { id });
        },
        compareEnvironment: id => {
          void commands.execute(CompareCommandIDs.compareEnvironments, { id });
        }
      },
      onRefresh: () => {
        void commands.execute(CommandIDs.refresh);
      },
      drift,
      onSnapshot: () => {
        const current = tracker?.currentWidget;
        if (current) {
          void snapshotNotebook(current, snapshotOptions);
        }
      },
      onCreate: () => {
        void commands.execute(CreateCommandIDs.createFromFile);
      },
      jobs,
      onNewNotebookInJob: job => {
        void newNotebookInJob(job, jobActions);
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
      caption: trans.__(
        'Read the conda environments and the GPUs of this machine again'
      ),
      icon: args => (args['isPalette'] ? undefined : refreshIcon),
      // The launcher and kernel picker cache the kernelspecs: an environment
      // created or removed since they were read shows up only after this.
      execute: () =>
        Promise.all([
          model.refresh(),
          compat.refresh(),
          Private.refreshSpecs(app)
        ])
    });

    // A listing whose environments or kernels moved makes the cached
    // kernelspecs stale as well.
    model.kernelsChanged.connect(() => {
      void Private.refreshSpecs(app);
    });

    commands.addCommand(CommandIDs.revealEnvironment, {
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

    // Settings load once; until then (or without a registry) the defaults
    // apply: no auto-switching.
    const settingsLoaded: Promise<ISettingRegistry.ISettings | null> =
      settingRegistry
        ? settingRegistry.load(PLUGIN_ID).catch(reason => {
            console.error(
              `Failed to load the settings of ${PLUGIN_ID}; using the defaults.`,
              reason
            );
            return null;
          })
        : Promise.resolve(null);
    let settings: ISettingRegistry.ISettings | null = null;
    const autoSwitchOn = (loaded: ISettingRegistry.ISettings | null): boolean =>
      loaded?.get(AUTO_SWITCH_SETTING).composite === true;

    commands.addCommand(CommandIDs.toggleAutoSwitch, {
      label: trans.__('Switch Notebooks to Their Project Environment'),
      caption: trans.__(
        'When a notebook opens, switch it to the kernel of its project environment (asking first if its kernel was already running)'
      ),
      isEnabled: () => settings !== null,
      isToggled: () => autoSwitchOn(settings),
      execute: () => settings?.set(AUTO_SWITCH_SETTING, !autoSwitchOn(settings))
    });

    commands.addCommand(CommandIDs.exportEnvironment, {
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
          contents: serviceManager.contents,
          folder: () => fileBrowser?.model.path ?? '',
          mode: snapshotMode,
          trans
        });
      }
    });

    addSnapshotCommands(app, snapshotOptions);
    addCompareCommands(app, { client, model, fileBrowser, palette, trans });
    addCreateCommands(app, {
      client,
      jobs,
      fileBrowser,
      palette,
      launcher,
      onStarted: () => shell.activateById(panel.id),
      trans
    });
    followJobs(jobs, jobActions);
    // Jobs live on the server: a reload finds the running ones again.
    void jobs.load();

    if (palette) {
      for (const command of [
        CommandIDs.showPanel,
        CommandIDs.refresh,
        CommandIDs.toggleAutoSwitch,
        CommandIDs.exportEnvironment
      ]) {
        palette.addItem({ command, category, args: { isPalette: true } });
      }
    }

    launcher?.add({
      command: CommandIDs.showPanel,
      category: trans.__('Other'),
      rank: 10
    });

    if (tracker) {
      Private.followNotebook(
        tracker,
        model,
        () => commands.notifyCommandChanged(CommandIDs.useKernel),
        // First: the kernel's environment changing in the model must not
        // be compared with the previous notebook's snapshot.
        current => {
          drift.notebook = current;
        }
      );
    }

    // Through the toolbar registry, like JupyterLab's own items: the notebook
    // toolbar places it from the settings (before the kernel name) and keeps
    // it when the toolbar is rebuilt or customised.
    toolbarRegistry?.addFactory<NotebookPanel>(
      'Notebook',
      INDICATOR_ITEM_NAME,
      panel => {
        // The indicator needs the listing; this loads it once, the panel
        // need not be open.
        void model.ensureLoaded();
        return new KernelEnvIndicator({
          model,
          translator,
          sessionContext: panel.sessionContext,
          onReveal: id => {
            void commands.execute(
              CommandIDs.revealEnvironment,
              id === null ? {} : { id }
            );
          }
        });
      }
    );

    app.docRegistry.addWidgetExtension(
      'Notebook',
      new AutoSwitchExtension({
        client,
        sessions: serviceManager.sessions,
        kernelspecs: serviceManager.kernelspecs,
        translator,
        isEnabled: async () => autoSwitchOn(await settingsLoaded),
        kernelsOf: async id => {
          await model.ensureLoaded();
          return kernelNamesOf(model.environments, id);
        }
      })
    );

    void settingsLoaded.then(loaded => {
      if (!loaded) {
        return;
      }
      settings = loaded;
      const apply = (): void => {
        const interval = loaded.get('refreshInterval').composite;
        if (typeof interval === 'number') {
          model.refreshInterval = interval;
        }
        const mode = loaded.get('snapshotMode').composite;
        if (
          typeof mode === 'string' &&
          (EXPORT_MODES as ReadonlyArray<string>).includes(mode)
        ) {
          snapshotMode = mode as ExportMode;
        }
        commands.notifyCommandChanged(CommandIDs.toggleAutoSwitch);
      };
      apply();
      loaded.changed.connect(apply);
    });
  }
};

namespace Private {
  /**
   * Ask JupyterLab to read the kernelspecs again.
   */
  export async function refreshSpecs(app: JupyterFrontEnd): Promise<void> {
    try {
      await app.serviceManager.kernelspecs.refreshSpecs();
    } catch (reason) {
      // The kernelspec manager polls on its own: it catches up later.
      console.warn('Could not refresh the kernelspecs', reason);
    }
  }

  /**
   * Keep `model.notebookOpen`, `model.activeKernelName` and
   * `model.notebookPath` in step with the current notebook, its kernel and
   * its path (a rename or move changes its project).
   */
  export function followNotebook(
    tracker: INotebookTracker,
    model: EnvironmentsModel,
    onChange: () => void,
    onCurrent?: (current: NotebookPanel | null) => void
  ): void {
    let watched: NotebookPanel | null = null;

    const update = (): void => {
      const current = tracker.currentWidget;
      onCurrent?.(current);
      const context: ISessionContext | null = current?.sessionContext ?? null;
      model.notebookOpen = context !== null;
      model.activeKernelName = context?.session?.kernel?.name ?? null;
      model.notebookPath = current?.context.localPath ?? null;
      onChange();
    };

    const onCurrentChanged = (
      _: INotebookTracker,
      panel: NotebookPanel | null
    ): void => {
      if (watched) {
        watched.sessionContext.kernelChanged.disconnect(update);
        watched.sessionContext.sessionChanged.disconnect(update);
        watched.context.pathChanged.disconnect(update);
      }
      watched = panel;
      if (watched) {
        watched.sessionContext.kernelChanged.connect(update);
        watched.sessionContext.sessionChanged.connect(update);
        watched.context.pathChanged.connect(update);
      }
      update();
    };

    tracker.currentChanged.connect(onCurrentChanged);
    onCurrentChanged(tracker, tracker.currentWidget);
  }
}

export default plugin;

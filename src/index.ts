import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';

import { CondaEnvsClient } from './client';
import { CompatModel } from './compat/compatModel';
import { addCreateCommands } from './create/createCommands';
import { EnvironmentsModel } from './environments/model';
import { addPanel, PanelCommandIDs } from './environments/panelCommands';
import { SNAPSHOT_MODES, SnapshotMode } from './export/api';
import { addCompareCommands } from './export/compare/compareCommands';
import { DriftModel } from './export/drift/driftModel';
import { addExportCommands, ExportCommandIDs } from './export/exportCommands';
import {
  addSnapshotCommands,
  snapshotNotebook
} from './export/snapshotCommands';
import { followJobs, newNotebookInJob } from './jobs/jobActions';
import { JobsModel } from './jobs/jobsModel';
import { AutoSwitchExtension } from './kernels/autoSwitch';
import { followNotebook, refreshSpecs } from './kernels/followNotebook';
import {
  addKernelCommands,
  autoSwitchOn,
  KernelCommandIDs
} from './kernels/kernelCommands';
import { addKernelEnvIndicator } from './kernels/kernelEnvIndicator';
import { kernelNamesOf } from './kernels/kernelEnvironment';

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
        commands.execute(KernelCommandIDs.newNotebook, { kernelName }),
      refreshSpecs: () => refreshSpecs(app),
      trans
    };
    // The snapshot format from the settings; the default until they load.
    let snapshotMode: SnapshotMode = 'history';
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

    const panel = addPanel(app, {
      model,
      compat,
      drift,
      jobs,
      tracker,
      restorer,
      onSnapshot: current => void snapshotNotebook(current, snapshotOptions),
      onNewNotebookInJob: job => void newNotebookInJob(job, jobActions),
      refreshSpecs: () => refreshSpecs(app),
      translator,
      trans
    });
    // A listing whose environments or kernels moved makes the cached
    // kernelspecs stale as well.
    model.kernelsChanged.connect(() => void refreshSpecs(app));
    addKernelCommands(app, { tracker, trans, settings: () => settings });
    addExportCommands(app, {
      client,
      model,
      fileBrowser,
      mode: () => snapshotMode,
      trans
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

    const category = trans.__('Conda Environments');
    for (const command of [
      PanelCommandIDs.showPanel,
      PanelCommandIDs.refresh,
      KernelCommandIDs.toggleAutoSwitch,
      ExportCommandIDs.exportEnvironment
    ]) {
      palette?.addItem({ command, category, args: { isPalette: true } });
    }
    launcher?.add({
      command: PanelCommandIDs.showPanel,
      category: trans.__('Other'),
      rank: 10
    });

    if (tracker) {
      followNotebook(
        tracker,
        model,
        () => commands.notifyCommandChanged(KernelCommandIDs.useKernel),
        // First: the kernel's environment changing in the model must not
        // be compared with the previous notebook's snapshot.
        current => {
          drift.notebook = current;
        }
      );
    }
    if (toolbarRegistry) {
      addKernelEnvIndicator(toolbarRegistry, {
        model,
        translator,
        onReveal: id =>
          void commands.execute(
            PanelCommandIDs.revealEnvironment,
            id === null ? {} : { id }
          )
      });
    }
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
          (SNAPSHOT_MODES as ReadonlyArray<string>).includes(mode)
        ) {
          snapshotMode = mode as SnapshotMode;
        }
        commands.notifyCommandChanged(KernelCommandIDs.toggleAutoSwitch);
      };
      apply();
      loaded.changed.connect(apply);
    });
  }
};

export default plugin;

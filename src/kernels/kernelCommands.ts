import { JupyterFrontEnd } from '@jupyterlab/application';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TranslationBundle } from '@jupyterlab/translation';

/**
 * The command ids of kernels: switching the current notebook, opening a
 * notebook on a kernel, and the auto-switch setting.
 */
export namespace KernelCommandIDs {
  export const useKernel = 'conda-envs:use-kernel';
  export const newNotebook = 'conda-envs:new-notebook';
  export const toggleAutoSwitch = 'conda-envs:toggle-auto-switch';
}

/**
 * The setting that switches opening notebooks to their project environment.
 */
export const AUTO_SWITCH_SETTING = 'autoSwitchProjectKernel';

/**
 * Whether the (loaded) settings turn auto-switching on; without settings
 * the default applies: off.
 */
export function autoSwitchOn(
  settings: ISettingRegistry.ISettings | null
): boolean {
  return settings?.get(AUTO_SWITCH_SETTING).composite === true;
}

/**
 * "Use Kernel in the Current Notebook", "New Notebook with Kernel" and the
 * auto-switch toggle.
 */
export function addKernelCommands(
  app: JupyterFrontEnd,
  options: IKernelCommandsOptions
): void {
  const { commands } = app;
  const { tracker, trans, settings } = options;

  commands.addCommand(KernelCommandIDs.useKernel, {
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

  commands.addCommand(KernelCommandIDs.newNotebook, {
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

  commands.addCommand(KernelCommandIDs.toggleAutoSwitch, {
    label: trans.__('Switch Notebooks to Their Project Environment'),
    caption: trans.__(
      'When a notebook opens, switch it to the kernel of its project environment (asking first if its kernel was already running)'
    ),
    isEnabled: () => settings() !== null,
    isToggled: () => autoSwitchOn(settings()),
    execute: () =>
      settings()?.set(AUTO_SWITCH_SETTING, !autoSwitchOn(settings()))
  });
}

/**
 * What the kernel commands need from the plugin.
 */
export interface IKernelCommandsOptions {
  tracker: INotebookTracker | null;
  /** The plugin's settings once loaded; null before (or without a registry). */
  settings: () => ISettingRegistry.ISettings | null;
  trans: TranslationBundle;
}

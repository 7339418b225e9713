import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';

import plugin from '../index';
import { CondaEnvsPanel } from '../panel';

/**
 * The parts of a notebook panel the plugin touches.
 */
class FakeNotebook {
  constructor(kernelName: string | null) {
    this.sessionContext.session = kernelName
      ? { kernel: { name: kernelName } }
      : null;
  }
  readonly sessionContext = {
    session: null as { kernel: { name: string } | null } | null,
    kernelChanged: new Signal<object, void>(this),
    sessionChanged: new Signal<object, void>(this),
    changeKernel: jest.fn(() => Promise.resolve(null))
  };
}

class FakeTracker {
  currentWidget: FakeNotebook | null = null;
  readonly currentChanged = new Signal<FakeTracker, FakeNotebook | null>(this);

  setCurrent(widget: FakeNotebook | null): void {
    this.currentWidget = widget;
    this.currentChanged.emit(widget);
  }
}

function activate(): {
  commands: CommandRegistry;
  shell: { add: jest.Mock; activateById: jest.Mock };
  tracker: FakeTracker;
  launcher: { add: jest.Mock };
  palette: { addItem: jest.Mock };
  createNew: jest.Mock;
  panel: CondaEnvsPanel;
  settingsChanged: Signal<object, void>;
  setInterval: (value: number) => void;
} {
  const commands = new CommandRegistry();
  const createNew = jest.fn();
  commands.addCommand('notebook:create-new', { execute: createNew });
  const shell = { add: jest.fn(), activateById: jest.fn() };
  const app = {
    commands,
    shell,
    serviceManager: { serverSettings: ServerConnection.makeSettings() }
  } as unknown as JupyterFrontEnd;
  const tracker = new FakeTracker();
  const launcher = { add: jest.fn() };
  const palette = { addItem: jest.fn() };
  let interval = 7;
  const settingsChanged = new Signal<object, void>({});
  const settings = {
    get: () => ({ composite: interval }),
    changed: settingsChanged
  };
  const registry = { load: jest.fn(() => Promise.resolve(settings)) };

  plugin.activate(
    app,
    nullTranslator,
    null,
    palette as unknown as ICommandPalette,
    launcher as unknown as ILauncher,
    registry as unknown as ISettingRegistry,
    tracker as unknown as INotebookTracker
  );
  const panel = shell.add.mock.calls[0][0] as CondaEnvsPanel;
  return {
    commands,
    shell,
    tracker,
    launcher,
    palette,
    createNew,
    panel,
    settingsChanged,
    setInterval: value => {
      interval = value;
    }
  };
}

describe('plugin', () => {
  let panel: CondaEnvsPanel | null = null;

  // No Testing Library here: the panel renders on Lumino's message loop,
  // outside any act() scope, which is fine for these command-level checks.
  afterEach(() => {
    panel?.model.dispose();
    panel?.dispose();
    panel = null;
  });

  it('adds the panel to the left area and a launcher card', () => {
    const result = activate();
    panel = result.panel;
    expect(plugin.id).toBe('jupyterlab-conda-envs:plugin');
    expect(plugin.autoStart).toBe(true);
    expect(result.shell.add).toHaveBeenCalledWith(
      panel,
      'left',
      expect.objectContaining({ rank: 700 })
    );
    expect(result.launcher.add).toHaveBeenCalledWith(
      expect.objectContaining({ command: 'conda-envs:show-panel' })
    );
    expect(
      result.palette.addItem.mock.calls.map(call => call[0].command)
    ).toEqual(['conda-envs:show-panel', 'conda-envs:refresh']);

    void result.commands.execute('conda-envs:show-panel');
    expect(result.shell.activateById).toHaveBeenCalledWith(panel.id);
    expect(result.commands.hasCommand('conda-envs:refresh')).toBe(true);
  });

  it('switches the current notebook kernel with use-kernel', async () => {
    const result = activate();
    panel = result.panel;
    expect(result.commands.isEnabled('conda-envs:use-kernel')).toBe(false);

    const notebook = new FakeNotebook('python3');
    result.tracker.setCurrent(notebook);
    expect(result.commands.isEnabled('conda-envs:use-kernel')).toBe(true);
    await result.commands.execute('conda-envs:use-kernel', {
      kernelName: 'conda-env-torch-py'
    });
    expect(notebook.sessionContext.changeKernel).toHaveBeenCalledWith({
      name: 'conda-env-torch-py'
    });
  });

  it('opens a notebook with a kernel through notebook:create-new', async () => {
    const result = activate();
    panel = result.panel;
    await result.commands.execute('conda-envs:new-notebook', {
      kernelName: 'conda-env-jax-py'
    });
    expect(result.createNew).toHaveBeenCalledWith({
      kernelName: 'conda-env-jax-py'
    });
  });

  it('follows the current notebook and its kernel', () => {
    const result = activate();
    panel = result.panel;
    const model = panel.model;
    expect(model.notebookOpen).toBe(false);
    expect(model.activeKernelName).toBeNull();

    const notebook = new FakeNotebook('conda-env-torch-py');
    result.tracker.setCurrent(notebook);
    expect(model.notebookOpen).toBe(true);
    expect(model.activeKernelName).toBe('conda-env-torch-py');

    notebook.sessionContext.session = { kernel: { name: 'conda-env-jax-py' } };
    notebook.sessionContext.kernelChanged.emit();
    expect(model.activeKernelName).toBe('conda-env-jax-py');

    result.tracker.setCurrent(null);
    expect(model.notebookOpen).toBe(false);
    expect(model.activeKernelName).toBeNull();
  });

  it('applies the refreshInterval setting and its changes', async () => {
    const result = activate();
    panel = result.panel;
    await Promise.resolve();
    await Promise.resolve();
    expect(panel.model.refreshInterval).toBe(7);
    result.setInterval(0);
    result.settingsChanged.emit();
    expect(panel.model.refreshInterval).toBe(0);
  });
});

import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, IToolbarWidgetRegistry } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import type { EnvironmentsResponse } from '../environments/api';
import plugin from '../index';
import { CondaEnvsPanel } from '../environments/panel';
import { flush, listing, makeEnv, makeSystem, projectOf } from './fixtures';

/**
 * The parts of a notebook panel the plugin touches.
 */
class FakeNotebook {
  constructor(kernelName: string | null, path = 'work/a.ipynb') {
    this.sessionContext.session = kernelName
      ? { kernel: { name: kernelName } }
      : null;
    this.context.path = path;
  }
  readonly context = {
    path: '',
    // As the real context: the path without a drive (`RTC:` in collaboration).
    get localPath(): string {
      return this.path.replace(/^[^/:]+:/, '');
    },
    pathChanged: new Signal<object, string>(this)
  };
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

/**
 * A server whose listing the test sets; every project lookup finds none.
 */
class FakeServer {
  listing: EnvironmentsResponse = listing([]);
  readonly urls: string[] = [];

  /** The bodies of `POST environments`. */
  readonly creates: Record<string, unknown>[] = [];

  readonly settings = ServerConnection.makeSettings({
    fetch: async (input: RequestInfo) => {
      const url = typeof input === 'string' ? input : input.url;
      this.urls.push(url);
      if (typeof input !== 'string' && input.method === 'POST') {
        return this._create(JSON.parse(await input.text()));
      }
      const body = url.includes('/conda-envs/project')
        ? projectOf('', null)
        : url.includes('/conda-envs/system')
          ? makeSystem()
          : url.includes('/conda-envs/jobs')
            ? { jobs: [] }
            : this.listing;
      return new Response(JSON.stringify(body), { status: 200 });
    }
  });

  /**
   * `POST environments`: a plan for a dry run, else a queued job.
   */
  private _create(body: Record<string, unknown>): Response {
    this.creates.push(body);
    const plan = {
      name: 'llm',
      channels: [],
      conda: ['python', 'ipykernel'],
      pip: [],
      variables: {},
      risks: []
    };
    const target = {
      name: 'llm',
      prefix: '/opt/conda/envs/llm',
      update: false,
      prune: false
    };
    const answer = { plan, target, backend: 'conda 24.1.0' };
    if (body.dry_run) {
      return new Response(JSON.stringify(answer), { status: 200 });
    }
    const job = {
      id: 'job-1',
      kind: 'create',
      name: 'llm',
      prefix: target.prefix,
      backend: 'conda',
      status: 'failed',
      progress: null,
      phase: null,
      error: 'stopped by the test',
      created: 1,
      started: null,
      finished: 2,
      environment_id: null,
      log_size: 0
    };
    return new Response(JSON.stringify({ ...answer, job }), { status: 202 });
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
  settingsSet: jest.Mock;
  server: FakeServer;
  refreshSpecs: jest.Mock;
  addWidgetExtension: jest.Mock;
  addFactory: jest.Mock;
  contextMenu: { addItem: jest.Mock };
} {
  const commands = new CommandRegistry();
  const createNew = jest.fn();
  commands.addCommand('notebook:create-new', { execute: createNew });
  const shell = { add: jest.fn(), activateById: jest.fn() };
  const server = new FakeServer();
  const refreshSpecs = jest.fn(() => Promise.resolve());
  const addWidgetExtension = jest.fn();
  const contextMenu = { addItem: jest.fn() };
  const app = {
    commands,
    contextMenu,
    shell,
    docRegistry: { addWidgetExtension },
    serviceManager: {
      serverSettings: server.settings,
      sessions: { isReady: true, running: () => [][Symbol.iterator]() },
      kernelspecs: { ready: Promise.resolve(), specs: null, refreshSpecs }
    }
  } as unknown as JupyterFrontEnd;
  const tracker = new FakeTracker();
  const launcher = { add: jest.fn() };
  const palette = { addItem: jest.fn() };
  const values: Record<string, unknown> = {
    refreshInterval: 7,
    autoSwitchProjectKernel: false
  };
  const settingsChanged = new Signal<object, void>({});
  const settingsSet = jest.fn((key: string, value: unknown) => {
    values[key] = value;
    settingsChanged.emit();
    return Promise.resolve();
  });
  const settings = {
    get: (key: string) => ({ composite: values[key] }),
    set: settingsSet,
    changed: settingsChanged
  };
  const registry = { load: jest.fn(() => Promise.resolve(settings)) };
  const addFactory = jest.fn();
  const toolbarRegistry = { addFactory };

  plugin.activate(
    app,
    nullTranslator,
    null,
    palette as unknown as ICommandPalette,
    launcher as unknown as ILauncher,
    registry as unknown as ISettingRegistry,
    tracker as unknown as INotebookTracker,
    toolbarRegistry as unknown as IToolbarWidgetRegistry
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
      values.refreshInterval = value;
    },
    settingsSet,
    server,
    refreshSpecs,
    addWidgetExtension,
    addFactory,
    contextMenu
  };
}

describe('plugin', () => {
  let panel: CondaEnvsPanel | null = null;

  // No Testing Library here: the panel renders on Lumino's message loop,
  // outside any act() scope, which is fine for these command-level checks.
  afterEach(() => {
    panel?.jobs?.dispose();
    panel?.compat.dispose();
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
    ).toEqual([
      'conda-envs:snapshot-environment',
      'conda-envs:compare-environments',
      'conda-envs:create-from-file',
      'conda-envs:show-panel',
      'conda-envs:refresh',
      'conda-envs:toggle-auto-switch',
      'conda-envs:export-environment'
    ]);

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

  it('follows the path of the current notebook, renames included', () => {
    const result = activate();
    panel = result.panel;
    const model = panel.model;
    expect(model.notebookPath).toBeNull();
    const notebook = new FakeNotebook('python3', 'projects/a/train.ipynb');
    result.tracker.setCurrent(notebook);
    expect(model.notebookPath).toBe('projects/a/train.ipynb');

    notebook.context.path = 'projects/b/train.ipynb';
    notebook.context.pathChanged.emit(notebook.context.path);
    expect(model.notebookPath).toBe('projects/b/train.ipynb');

    // In a collaborative session the path carries a drive; the server wants
    // the path under its root.
    notebook.context.path = 'RTC:projects/c/train.ipynb';
    notebook.context.pathChanged.emit(notebook.context.path);
    expect(model.notebookPath).toBe('projects/c/train.ipynb');

    // A notebook no longer current is not followed.
    const other = new FakeNotebook('python3', 'other.ipynb');
    result.tracker.setCurrent(other);
    notebook.context.path = 'moved.ipynb';
    notebook.context.pathChanged.emit(notebook.context.path);
    expect(model.notebookPath).toBe('other.ipynb');

    result.tracker.setCurrent(null);
    expect(model.notebookPath).toBeNull();
  });

  it('adds the toolbar indicator and auto-switching to notebooks', () => {
    const result = activate();
    panel = result.panel;
    expect(result.addWidgetExtension.mock.calls.map(call => call[0])).toEqual([
      'Notebook'
    ]);
    // The indicator and the snapshot button come from the toolbar registry,
    // placed by the schema.
    const items = result.addFactory.mock.calls.map(call => [call[0], call[1]]);
    expect(items).toEqual([
      ['Notebook', 'condaEnvsSnapshot'],
      ['Notebook', 'condaEnvsIndicator']
    ]);
    const [, , factory] = result.addFactory.mock.calls[1];
    const sessionContext = {
      session: null,
      kernelChanged: new Signal({}),
      sessionChanged: new Signal({})
    };
    const widget = factory({ sessionContext }) as Widget;
    expect(widget.hasClass('jp-CondaEnvs-KernelEnvIndicator')).toBe(true);
    widget.dispose();
  });

  it('toggles auto-switching through the settings', async () => {
    const result = activate();
    panel = result.panel;
    const id = 'conda-envs:toggle-auto-switch';
    await flush();
    expect(result.commands.isEnabled(id)).toBe(true);
    expect(result.commands.isToggled(id)).toBe(false);
    await result.commands.execute(id);
    expect(result.settingsSet).toHaveBeenCalledWith(
      'autoSwitchProjectKernel',
      true
    );
    expect(result.commands.isToggled(id)).toBe(true);
    await result.commands.execute(id);
    expect(result.settingsSet).toHaveBeenLastCalledWith(
      'autoSwitchProjectKernel',
      false
    );
  });

  it('reveals an environment in the panel', () => {
    const result = activate();
    panel = result.panel;
    const reveal = jest.spyOn(panel.model, 'reveal');
    void result.commands.execute('conda-envs:reveal-environment', {
      id: 'id-torch'
    });
    expect(result.shell.activateById).toHaveBeenCalledWith(panel.id);
    expect(reveal).toHaveBeenCalledWith('id-torch');

    void result.commands.execute('conda-envs:reveal-environment', {});
    expect(result.shell.activateById).toHaveBeenCalledTimes(2);
    expect(reveal).toHaveBeenCalledTimes(1);
  });

  it('refreshes the kernelspecs on refresh, and when the kernels change', async () => {
    const result = activate();
    panel = result.panel;
    result.server.listing = listing([makeEnv({ name: 'torch' })]);
    await result.commands.execute('conda-envs:refresh');
    expect(result.refreshSpecs).toHaveBeenCalledTimes(1);

    // Listings that keep the same environments and kernels: nothing more.
    await panel.model.refresh();
    await flush();
    expect(result.refreshSpecs).toHaveBeenCalledTimes(1);

    // A new environment with a kernel.
    result.server.listing = listing([
      makeEnv({ name: 'torch' }),
      makeEnv({ name: 'runnable' })
    ]);
    await panel.model.refresh();
    await flush();
    expect(result.refreshSpecs).toHaveBeenCalledTimes(2);
  });

  it('reloads the facts of this machine on refresh, once the panel loaded them', async () => {
    const result = activate();
    panel = result.panel;
    const systemCalls = (): number =>
      result.server.urls.filter(url => url.includes('/conda-envs/system'))
        .length;
    // Not shown yet: the refresh command does not read them.
    await result.commands.execute('conda-envs:refresh');
    expect(systemCalls()).toBe(0);

    await panel.compat.ensureLoaded();
    expect(systemCalls()).toBe(1);
    expect(panel.compat.system.facts?.gpu.simulated).toBe(true);
    await result.commands.execute('conda-envs:refresh');
    expect(systemCalls()).toBe(2);
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

  it('adds the snapshot button, and the export, snapshot and compare commands', () => {
    const result = activate();
    panel = result.panel;
    for (const id of [
      'conda-envs:snapshot-environment',
      'conda-envs:export-environment',
      'conda-envs:compare-environments',
      'conda-envs:compare-file'
    ]) {
      expect(result.commands.hasCommand(id)).toBe(true);
    }
    const button = result.addFactory.mock.calls[0][2]({}) as Widget;
    expect(button.hasClass('jp-CondaEnvs-SnapshotItem')).toBe(true);
    button.dispose();
    // "Compare with Conda Environment…" on YAML files in the file browser.
    expect(result.contextMenu.addItem).toHaveBeenCalledWith(
      expect.objectContaining({
        command: 'conda-envs:compare-file',
        selector: '.jp-DirListing-item[data-file-type="yaml"]'
      })
    );
    const inPalette = result.palette.addItem.mock.calls.map(
      call => call[0].command
    );
    expect(inPalette).toEqual(
      expect.arrayContaining([
        'conda-envs:snapshot-environment',
        'conda-envs:export-environment',
        'conda-envs:compare-environments'
      ])
    );
  });
  it('adds creating environments from a file: command, context menu, launcher card, jobs', async () => {
    const result = activate();
    panel = result.panel;
    const id = 'conda-envs:create-from-file';
    expect(result.commands.hasCommand(id)).toBe(true);
    expect(result.commands.label(id, { isLauncher: true })).toBe(
      'New Conda Environment'
    );
    expect(result.commands.label(id, { fromBrowser: true })).toBe(
      'Create Conda Environment'
    );
    expect(result.commands.label(id, { isPalette: true })).toBe(
      'New Conda Environment from File…'
    );
    expect(result.contextMenu.addItem).toHaveBeenCalledWith(
      expect.objectContaining({
        command: id,
        args: { fromBrowser: true },
        selector: '.jp-DirListing-item[data-file-type="yaml"]'
      })
    );
    expect(result.launcher.add).toHaveBeenCalledWith(
      expect.objectContaining({ command: id, args: { isLauncher: true } })
    );
    // The jobs of the server are listed at start: they survive a reload.
    await flush();
    expect(
      result.server.urls.filter(url => url.includes('/conda-envs/jobs'))
    ).toHaveLength(1);
    expect(panel.jobs?.jobs).toEqual([]);
  });
  it('creates from a workspace file through the dialog, then follows the job in the panel', async () => {
    const result = activate();
    panel = result.panel;
    const done = result.commands.execute('conda-envs:create-from-file', {
      path: 'proj/environment.yml'
    });
    const submit = (): HTMLButtonElement | null =>
      document.body.querySelector<HTMLButtonElement>(
        '.jp-CondaEnvs-Create-submit'
      );
    for (let i = 0; i < 50 && (!submit() || submit()?.disabled); i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(result.server.creates).toEqual([
      {
        path: 'proj/environment.yml',
        add_ipykernel: true,
        allow: expect.any(Array),
        dry_run: true
      }
    ]);
    expect(submit()?.disabled).toBe(false);
    submit()?.click();
    const job = await done;
    expect(job).toEqual(expect.objectContaining({ id: 'job-1' }));
    // The name as reviewed goes with it (the fake dry run sends no sha256).
    expect(result.server.creates[1]).toEqual({
      path: 'proj/environment.yml',
      add_ipykernel: true,
      allow: [],
      name: 'llm'
    });
    expect(panel.jobs?.jobs.map(state => state.job.id)).toEqual(['job-1']);
    expect(result.shell.activateById).toHaveBeenCalledWith(panel.id);
    expect(document.body.querySelector('.jp-CondaEnvs-Create')).toBeNull();
  });
});

import type { NotebookPanel } from '@jupyterlab/notebook';
import type { KernelSpec, Session } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';
import { Signal } from '@lumino/signaling';

import type { ProjectEnvironment } from '../kernels/api';
import {
  AutoSwitchDecision,
  AutoSwitchExtension,
  decideAutoSwitch,
  IAutoSwitchInput
} from '../kernels/autoSwitch';
import { FakeClient, flush, makeProject, projectOf } from './fixtures';

const runnable = makeProject();
const PATH = 'projects/runnable_project/notebooks/train.ipynb';

describe('decideAutoSwitch', () => {
  const base: IAutoSwitchInput = {
    enabled: true,
    project: runnable,
    kernelName: 'conda-env-torch-py',
    sessionExisted: false,
    envKernels: ['conda-env-runnable-py']
  };

  it.each<[string, Partial<IAutoSwitchInput>, AutoSwitchDecision]>([
    ['the setting is off', { enabled: false }, 'none'],
    ['there is no project environment', { project: null }, 'none'],
    [
      'the project environment has no kernel',
      { project: makeProject({ kernel: null }), envKernels: [] },
      'none'
    ],
    [
      'the kernel is the project kernel',
      { kernelName: 'conda-env-runnable-py' },
      'none'
    ],
    [
      'the kernel is another kernel of the project environment',
      {
        kernelName: 'my-runnable',
        envKernels: ['conda-env-runnable-py', 'my-runnable']
      },
      'none'
    ],
    ['another kernel in a new session', {}, 'switch'],
    ['no kernel in a new session', { kernelName: null }, 'switch'],
    [
      'another kernel in a session that ran before',
      { sessionExisted: true },
      'ask'
    ],
    [
      'the setting is off, even for a session that ran before',
      { enabled: false, sessionExisted: true },
      'none'
    ],
    [
      'the kernel came from the file',
      { fileKernelName: 'conda-env-torch-py' },
      'switch'
    ],
    [
      'a new notebook whose kernel was picked when it was created',
      { fileKernelName: null },
      'none'
    ],
    [
      'a kernel picked instead of the one the file names',
      { fileKernelName: 'python3' },
      'none'
    ]
  ])('%s → %s', (_, overrides, expected) => {
    expect(decideAutoSwitch({ ...base, ...overrides })).toBe(expected);
  });
});

/**
 * The parts of a notebook panel the extension touches.
 */
class FakePanel {
  /**
   * `fileKernel`: the kernelspec named in the file's metadata (by default the
   * kernel it opens with); null for a notebook created with a picked kernel.
   */
  constructor(
    kernelName: string | null,
    path = PATH,
    fileKernel: string | null | undefined = undefined
  ) {
    this.context = { path, localPath: path, ready: Promise.resolve() };
    this.sessionContext.session = kernelName
      ? { kernel: { name: kernelName, id: 'k1' } }
      : null;
    const inFile = fileKernel === undefined ? kernelName : fileKernel;
    this.model = {
      getMetadata: (key: string) =>
        key === 'kernelspec' && inFile ? { name: inFile } : undefined
    };
  }
  isDisposed = false;
  readonly context: { path: string; localPath: string; ready: Promise<void> };
  readonly model: { getMetadata: (key: string) => unknown };
  readonly ready = new PromiseDelegate<void>();
  readonly sessionContext = {
    isReady: false,
    ready: this.ready.promise,
    iopubMessage: new Signal<unknown, { header: { msg_type: string } }>({}),
    session: null as { kernel: { name: string; id: string } | null } | null,
    changeKernel: jest.fn((options: { name: string }) => {
      this.sessionContext.session = {
        kernel: { name: options.name, id: 'k2' }
      };
      return Promise.resolve(null);
    })
  };

  asPanel(): NotebookPanel {
    return this as unknown as NotebookPanel;
  }
}

function setup(
  options: {
    enabled?: boolean;
    running?: string[];
    specs?: string[];
    accept?: boolean;
    envKernels?: string[];
    sessionsReady?: boolean;
  } = {}
): {
  client: FakeClient;
  extension: AutoSwitchExtension;
  ask: jest.Mock;
  notify: jest.Mock;
  refreshSpecs: jest.Mock;
} {
  const client = new FakeClient();
  const running = (options.running ?? []).map(path => ({ path }));
  const sessions = {
    isReady: options.sessionsReady ?? true,
    running: () => running[Symbol.iterator]()
  } as unknown as Session.IManager;
  const specNames = options.specs ?? [
    'python3',
    'conda-env-runnable-py',
    'conda-env-torch-py'
  ];
  const refreshSpecs = jest.fn(() => Promise.resolve());
  const specs: Record<string, { name: string; display_name: string }> = {};
  for (const name of specNames) {
    specs[name] = { name, display_name: `Spec ${name}` };
  }
  const kernelspecs = {
    ready: Promise.resolve(),
    specs: { default: 'python3', kernelspecs: specs },
    refreshSpecs
  } as unknown as KernelSpec.IManager;
  const ask = jest.fn(() => Promise.resolve(options.accept ?? false));
  const notify = jest.fn();
  const extension = new AutoSwitchExtension({
    client,
    sessions,
    kernelspecs,
    isEnabled: () => options.enabled ?? true,
    kernelsOf: () =>
      Promise.resolve(options.envKernels ?? ['conda-env-runnable-py']),
    ask,
    notify
  });
  return { client, extension, ask, notify, refreshSpecs };
}

/**
 * Open `panel`, let its session become ready and answer the project request.
 */
async function open(
  result: ReturnType<typeof setup>,
  panel: FakePanel,
  project: ProjectEnvironment | null = runnable
): Promise<void> {
  result.extension.createNew(panel.asPanel());
  panel.ready.resolve();
  await flush();
  result.client.lastProject.resolve(projectOf(panel.context.path, project));
  await flush();
  await flush();
}

describe('AutoSwitchExtension', () => {
  it('leaves a new notebook whose kernel was picked at creation', async () => {
    const result = setup();
    const panel = new FakePanel('conda-env-torch-py', PATH, null);
    await open(result, panel);
    expect(panel.sessionContext.changeKernel).not.toHaveBeenCalled();
    expect(result.notify).not.toHaveBeenCalled();
  });

  it('leaves a kernel that ran a cell while the server was asked', async () => {
    const result = setup();
    const panel = new FakePanel('python3');
    result.extension.createNew(panel.asPanel());
    panel.ready.resolve();
    await flush();
    panel.sessionContext.iopubMessage.emit({
      header: { msg_type: 'execute_input' }
    });
    result.client.lastProject.resolve(projectOf(PATH, runnable));
    await flush();
    await flush();
    expect(panel.sessionContext.changeKernel).not.toHaveBeenCalled();
  });

  it('switches a notebook opened in a new session and says so', async () => {
    const result = setup();
    const panel = new FakePanel('python3');
    await open(result, panel);
    expect(result.client.projectCalls.map(call => call.path)).toEqual([PATH]);
    expect(panel.sessionContext.changeKernel).toHaveBeenCalledWith({
      name: 'conda-env-runnable-py'
    });
    expect(result.ask).not.toHaveBeenCalled();
    expect(result.notify).toHaveBeenCalledWith(
      'Switched train.ipynb to its project environment runnable'
    );
  });

  it('asks before replacing a kernel whose session ran before', async () => {
    const result = setup({ running: [PATH], accept: false });
    const panel = new FakePanel('conda-env-torch-py');
    await open(result, panel);
    expect(result.ask).toHaveBeenCalledTimes(1);
    const [title, body, reject, accept] = result.ask.mock.calls[0] as string[];
    expect(title).toBe('Switch kernel?');
    expect(body).toContain('Spec conda-env-torch-py');
    expect(body).toContain('runnable');
    expect([reject, accept]).toEqual(['Keep current kernel', 'Switch']);
    expect(panel.sessionContext.changeKernel).not.toHaveBeenCalled();
  });

  it('switches a session that ran before when the user says so', async () => {
    const result = setup({ running: [PATH], accept: true });
    const panel = new FakePanel('conda-env-torch-py');
    await open(result, panel);
    expect(panel.sessionContext.changeKernel).toHaveBeenCalledWith({
      name: 'conda-env-runnable-py'
    });
    expect(result.notify).not.toHaveBeenCalled();
  });

  it('asks when the running sessions are not known yet', async () => {
    const result = setup({ sessionsReady: false });
    const panel = new FakePanel('python3');
    await open(result, panel);
    expect(result.ask).toHaveBeenCalledTimes(1);
    expect(panel.sessionContext.changeKernel).not.toHaveBeenCalled();
  });

  it('notes the running sessions before the notebook starts its own', async () => {
    const running: string[] = [];
    const result = setup({ running, accept: false });
    const panel = new FakePanel('python3');
    result.extension.createNew(panel.asPanel());
    // The notebook's own session appears once it initialises: not a reason to ask.
    running.push(PATH);
    panel.ready.resolve();
    await flush();
    result.client.lastProject.resolve(projectOf(PATH, runnable));
    await flush();
    await flush();
    expect(result.ask).not.toHaveBeenCalled();
    expect(panel.sessionContext.changeKernel).toHaveBeenCalled();
  });

  it.each<[string, Parameters<typeof setup>[0], ProjectEnvironment | null]>([
    ['the setting is off', { enabled: false }, runnable],
    ['there is no project environment', {}, null],
    ['the project has no kernel', {}, makeProject({ kernel: null })]
  ])('does nothing when %s', async (_, options, project) => {
    const result = setup(options);
    const panel = new FakePanel('python3');
    result.extension.createNew(panel.asPanel());
    panel.ready.resolve();
    await flush();
    if (result.client.projectCalls.length > 0) {
      result.client.lastProject.resolve(projectOf(PATH, project));
      await flush();
      await flush();
    }
    expect(panel.sessionContext.changeKernel).not.toHaveBeenCalled();
    expect(result.ask).not.toHaveBeenCalled();
  });

  it('leaves a notebook already in its project environment alone', async () => {
    const result = setup({ envKernels: ['conda-env-runnable-py', 'mine'] });
    const panel = new FakePanel('mine');
    await open(result, panel);
    expect(panel.sessionContext.changeKernel).not.toHaveBeenCalled();
  });

  it('does not switch to a kernelspec JupyterLab does not know', async () => {
    const result = setup({ specs: ['python3'] });
    const panel = new FakePanel('python3');
    await open(result, panel);
    await flush();
    expect(result.refreshSpecs).toHaveBeenCalled();
    expect(panel.sessionContext.changeKernel).not.toHaveBeenCalled();
  });

  it('ignores another view of a notebook that is already open', () => {
    const result = setup();
    const panel = new FakePanel('python3');
    panel.sessionContext.isReady = true;
    result.extension.createNew(panel.asPanel());
    expect(result.client.projectCalls).toHaveLength(0);
  });
});

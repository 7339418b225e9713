import type { ISessionContext } from '@jupyterlab/apputils';
import { MessageLoop } from '@lumino/messaging';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { act, fireEvent } from '@testing-library/react';

import schema from '../../schema/plugin.json';

import {
  KernelEnvIndicator,
  INDICATOR_ITEM_NAME
} from '../kernels/kernelEnvIndicator';
import {
  environmentOfKernel,
  kernelNamesOf,
  kernelRunsInProject
} from '../kernels/kernelEnvironment';
import { EnvironmentsModel } from '../environments/model';
import { FakeClient, flush, listing, makeEnv, makeProject } from './fixtures';

const torch = makeEnv({ name: 'torch', prefix: '/opt/conda/envs/torch' });
const jax = makeEnv({
  name: 'jax',
  kernels: [
    {
      name: 'conda-env-jax-py',
      display_name: 'Python [conda env:jax]',
      language: 'python'
    },
    { name: 'jax-gpu', display_name: 'JAX GPU', language: 'python' }
  ]
});

describe('kernel environment lookups', () => {
  it('finds the environment a kernel is grouped under', () => {
    expect(environmentOfKernel([torch, jax], 'jax-gpu')?.id).toBe('id-jax');
    expect(environmentOfKernel([torch, jax], 'conda-env-torch-py')?.id).toBe(
      'id-torch'
    );
    expect(environmentOfKernel([torch, jax], 'remote')).toBeNull();
    expect(environmentOfKernel([torch, jax], null)).toBeNull();
    expect(environmentOfKernel([], 'conda-env-torch-py')).toBeNull();
  });

  it('lists the kernels of an environment', () => {
    expect(kernelNamesOf([torch, jax], 'id-jax')).toEqual([
      'conda-env-jax-py',
      'jax-gpu'
    ]);
    expect(kernelNamesOf([torch, jax], 'id-gone')).toEqual([]);
  });

  it('matches a project by its kernel or any kernel of its environment', () => {
    const project = makeProject({
      name: 'jax',
      environment_id: 'id-jax',
      kernel: 'conda-env-jax-py'
    });
    const kernels = kernelNamesOf([torch, jax], 'id-jax');
    expect(kernelRunsInProject(project, 'conda-env-jax-py', [])).toBe(true);
    expect(kernelRunsInProject(project, 'jax-gpu', kernels)).toBe(true);
    expect(kernelRunsInProject(project, 'conda-env-torch-py', kernels)).toBe(
      false
    );
    expect(kernelRunsInProject(project, null, kernels)).toBe(false);
  });
});

/**
 * The parts of a session context the indicator follows.
 */
class FakeSessionContext {
  constructor(kernelName: string | null) {
    this.setKernel(kernelName);
  }
  session: { kernel: { name: string } | null } | null = null;
  readonly kernelChanged = new Signal<this, void>(this);
  readonly sessionChanged = new Signal<this, void>(this);

  setKernel(name: string | null): void {
    this.session = name ? { kernel: { name } } : null;
  }

  asContext(): ISessionContext {
    return this as unknown as ISessionContext;
  }
}

describe('KernelEnvIndicator', () => {
  let indicator: KernelEnvIndicator | null = null;
  let model: EnvironmentsModel | null = null;

  afterEach(() => {
    act(() => {
      indicator?.dispose();
    });
    model?.dispose();
    indicator = model = null;
  });

  async function setup(kernelName: string | null): Promise<{
    client: FakeClient;
    session: FakeSessionContext;
    onReveal: jest.Mock;
    indicator: KernelEnvIndicator;
  }> {
    const client = new FakeClient();
    model = new EnvironmentsModel({ client, refreshInterval: 0 });
    const session = new FakeSessionContext(kernelName);
    const onReveal = jest.fn();
    indicator = new KernelEnvIndicator({
      model,
      sessionContext: session.asContext(),
      onReveal
    });
    await act(async () => {
      Widget.attach(indicator as KernelEnvIndicator, document.body);
      await flush();
    });
    return { client, session, onReveal, indicator };
  }

  /**
   * Do `work`, then render what Lumino posted, all inside one act().
   */
  async function settle(work?: () => unknown): Promise<void> {
    await act(async () => {
      await work?.();
      await flush();
      MessageLoop.flush();
      await flush();
    });
  }

  function button(widget: KernelEnvIndicator): HTMLButtonElement | null {
    return widget.node.querySelector('button');
  }

  it('names the environment of the kernel once the listing is there', async () => {
    const result = await setup('conda-env-torch-py');
    expect(result.indicator.hasClass('jp-CondaEnvs-KernelEnvIndicator')).toBe(
      true
    );
    // Nothing to say before the listing.
    expect(button(result.indicator)).toBeNull();

    await settle(async () => {
      const loading = model?.ensureLoaded();
      result.client.lastList.resolve(listing([torch, jax]));
      await loading;
    });
    const shown = button(result.indicator);
    expect(shown?.textContent).toBe('torch');
    expect(shown?.dataset.envId).toBe('id-torch');
    expect(shown?.dataset.status).toBe('env');
    expect(shown?.title).toBe(
      'Kernel runs in conda environment torch (/opt/conda/envs/torch) — show it in the Conda Environments panel'
    );
    expect(shown?.getAttribute('aria-label')).toBe(shown?.title);

    fireEvent.click(shown as HTMLButtonElement);
    expect(result.onReveal).toHaveBeenCalledWith('id-torch');

    // It follows the kernel.
    await settle(() => {
      result.session.setKernel('jax-gpu');
      result.session.kernelChanged.emit();
    });
    expect(button(result.indicator)?.dataset.envId).toBe('id-jax');

    // A kernel in no environment.
    await settle(() => {
      result.session.setKernel('remote');
      result.session.sessionChanged.emit();
    });
    const unknown = button(result.indicator);
    expect(unknown?.textContent).toBe('No conda environment');
    expect(unknown?.classList.contains('jp-mod-unknown')).toBe(true);
    expect(unknown?.dataset.envId).toBeUndefined();
    expect(unknown?.dataset.status).toBe('none');
    fireEvent.click(unknown as HTMLButtonElement);
    expect(result.onReveal).toHaveBeenLastCalledWith(null);
  });

  it('reads the listing again, once, for a kernel it does not know', async () => {
    const result = await setup('conda-env-torch-py');
    await settle(async () => {
      const loading = model?.ensureLoaded();
      result.client.lastList.resolve(listing([torch, jax]));
      await loading;
    });
    const before = result.client.listCalls.length;
    // An environment created after the listing was read (the poll rests while the panel is closed).
    await settle(() => {
      result.session.setKernel('conda-env-fresh-py');
      result.session.kernelChanged.emit();
    });
    expect(result.client.listCalls.length).toBe(before + 1);
    const fresh = makeEnv({
      id: 'id-fresh',
      name: 'fresh',
      kernels: [
        {
          name: 'conda-env-fresh-py',
          display_name: 'Python [conda env:fresh]',
          language: 'python'
        }
      ]
    });
    await settle(() =>
      result.client.lastList.resolve(listing([torch, jax, fresh]))
    );
    expect(button(result.indicator)?.dataset.envId).toBe('id-fresh');
    // Known now, or still unknown: no second request for the same kernel.
    await settle(() => result.session.kernelChanged.emit());
    expect(result.client.listCalls.length).toBe(before + 1);
  });

  it('stops following the kernel and the model once disposed', async () => {
    const result = await setup('conda-env-torch-py');
    const update = jest.spyOn(result.indicator, 'update');
    act(() => {
      result.indicator.dispose();
    });
    expect(result.indicator.isDisposed).toBe(true);
    result.session.kernelChanged.emit();
    result.session.sessionChanged.emit();
    model?.stateChanged.emit();
    expect(update).not.toHaveBeenCalled();
    // Idempotent.
    result.indicator.dispose();
  });
});

describe('the toolbar item', () => {
  it('is placed by the settings schema just before the kernel name', () => {
    // JupyterLab's notebook toolbar ranks the kernel name 1000; the snapshot
    // button sits just before the indicator.
    const items = schema['jupyter.lab.toolbars'].Notebook;
    expect(items).toEqual([
      { name: 'condaEnvsSnapshot', rank: 998 },
      { name: INDICATOR_ITEM_NAME, rank: 999 }
    ]);
  });
});

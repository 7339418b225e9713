import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { act, fireEvent } from '@testing-library/react';

import type { CondaEnvsClient } from '../client';
import { CompatModel } from '../compat/compatModel';
import { JobsModel } from '../jobs/jobsModel';
import { EnvironmentsModel } from '../environments/model';
import { CondaEnvsPanel } from '../environments/panel';
import {
  analysisWith,
  FakeClient,
  flush,
  listing,
  makeEnv,
  makePackage,
  makeProject,
  makeSystem,
  makeVerdict,
  packagesOf,
  projectOf
} from './fixtures';

describe('CondaEnvsPanel', () => {
  let panel: CondaEnvsPanel | null = null;
  let model: EnvironmentsModel | null = null;
  let compat: CompatModel | null = null;

  afterEach(() => {
    // Disposing unmounts React roots: let React see it as a test action.
    act(() => {
      panel?.dispose();
    });
    compat?.dispose();
    model?.dispose();
    panel = model = compat = null;
  });

  it('loads when shown, renders the list and refreshes from its button', async () => {
    const client = new FakeClient();
    model = new EnvironmentsModel({ client, refreshInterval: 0 });
    compat = new CompatModel({ client, environments: model });
    panel = new CondaEnvsPanel({
      model,
      compat,
      actions: { useKernel: jest.fn(), newNotebook: jest.fn() }
    });
    expect(panel.title.caption).toBe('Conda Environments');
    expect(panel.title.icon).toBeTruthy();
    expect(client.listCalls).toHaveLength(0);

    await act(async () => {
      Widget.attach(panel as CondaEnvsPanel, document.body);
      await flush();
    });
    expect(client.listCalls).toHaveLength(1);

    await act(async () => {
      client.lastList.resolve(listing([makeEnv({ name: 'torch' })]));
      await flush();
    });
    expect(panel.node.querySelector('[data-env-name="torch"]')).not.toBeNull();

    // The section toolbar's button is a <jp-button> web component.
    const refresh = panel.node.querySelector<HTMLElement>(
      '.jp-CondaEnvs-Panel-refresh'
    );
    expect(refresh).not.toBeNull();
    await act(async () => {
      fireEvent.click(refresh as HTMLElement);
      await flush();
    });
    expect(client.listCalls).toHaveLength(2);
    // ...and the facts of this machine, read once when first shown.
    expect(client.systemCalls).toHaveLength(2);

    panel.hide();
    await act(async () => {
      panel?.show();
      await flush();
    });
    // A second show while the refresh is in flight asks nothing more.
    expect(client.listCalls).toHaveLength(2);
  });

  it('lists the jobs again when shown, so jobs of another tab show up', async () => {
    const client = new FakeClient();
    model = new EnvironmentsModel({ client, refreshInterval: 0 });
    compat = new CompatModel({ client, environments: model });
    const listJobs = jest.fn(() => Promise.resolve({ jobs: [] }));
    const jobs = new JobsModel({
      client: { listJobs } as unknown as CondaEnvsClient
    });
    panel = new CondaEnvsPanel({
      model,
      compat,
      jobs,
      actions: { useKernel: jest.fn(), newNotebook: jest.fn() }
    });
    await act(async () => {
      Widget.attach(panel as CondaEnvsPanel, document.body);
      client.lastList.resolve(listing([makeEnv({ name: 'torch' })]));
      await flush();
    });
    const before = listJobs.mock.calls.length;
    panel.hide();
    await act(async () => {
      panel?.show();
      await flush();
    });
    expect(listJobs.mock.calls.length).toBe(before + 1);
    jobs.dispose();
  });

  it("shows the current notebook's project environment above the list", async () => {
    const client = new FakeClient();
    model = new EnvironmentsModel({ client, refreshInterval: 0 });
    compat = new CompatModel({ client, environments: model });
    const useKernel = jest.fn(() => Promise.resolve());
    const onRefresh = jest.fn();
    panel = new CondaEnvsPanel({
      model,
      compat,
      actions: { useKernel, newNotebook: jest.fn() },
      onRefresh
    });
    await act(async () => {
      Widget.attach(panel as CondaEnvsPanel, document.body);
      client.lastList.resolve(listing([makeEnv({ name: 'runnable' })]));
      await flush();
      // Render what Lumino posted (the toolbar) inside this act().
      MessageLoop.flush();
    });
    const section = (): HTMLElement | null =>
      panel?.node.querySelector<HTMLElement>(
        '.jp-CondaEnvs-ProjectEnvironment'
      ) ?? null;
    expect(section()).toBeNull();

    await act(async () => {
      if (model) {
        model.notebookOpen = true;
        model.activeKernelName = 'python3';
        model.notebookPath = 'p/train.ipynb';
      }
      client.lastProject.resolve(projectOf('p/train.ipynb', makeProject()));
      await flush();
    });
    const shown = section();
    expect(shown?.dataset.status).toBe('mismatch');
    // Above the list.
    const list = panel.node.querySelector('.jp-CondaEnvs-EnvironmentList');
    expect(
      shown && list
        ? shown.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING
        : 0
    ).toBeTruthy();

    await act(async () => {
      fireEvent.click(
        shown?.querySelector(
          '.jp-CondaEnvs-ProjectEnvironment-switch'
        ) as HTMLElement
      );
      await flush();
    });
    expect(useKernel).toHaveBeenCalledWith('conda-env-runnable-py');

    // The refresh button runs what the plugin gave it.
    act(() => {
      fireEvent.click(
        panel?.node.querySelector('.jp-CondaEnvs-Panel-refresh') as HTMLElement
      );
      MessageLoop.flush();
    });
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it('shows this machine in its header and a badge per environment', async () => {
    const client = new FakeClient();
    model = new EnvironmentsModel({ client, refreshInterval: 0 });
    const analyze = jest.fn(() => analysisWith('warning', [], [makeVerdict()]));
    compat = new CompatModel({ client, environments: model, analyze });
    panel = new CondaEnvsPanel({
      model,
      compat,
      actions: { useKernel: jest.fn(), newNotebook: jest.fn() }
    });
    await act(async () => {
      Widget.attach(panel as CondaEnvsPanel, document.body);
      await flush();
    });
    expect(client.systemCalls).toHaveLength(1);
    const header = panel.node.querySelector<HTMLElement>(
      '.jp-CondaEnvs-MachineHeader'
    );
    // In the panel's header, above the environments section.
    expect(header?.closest('.jp-SidePanel-header')).not.toBeNull();
    expect(header?.textContent).toContain('This machine');

    await act(async () => {
      client.lastSystem.resolve(makeSystem());
      client.lastList.resolve(listing([makeEnv({ name: 'cf_cuda12' })]));
      await flush();
    });
    expect(header?.dataset.gpu).toBe('yes');
    expect(header?.textContent).toContain('NVIDIA A100-SXM4-40GB');

    const badge = (): HTMLElement | null =>
      panel?.node.querySelector<HTMLElement>(
        '[data-env-name="cf_cuda12"] .jp-CondaEnvs-CompatBadge'
      ) ?? null;
    expect(badge()?.dataset.status).toBe('loading');
    await act(async () => {
      client.lastPackages.resolve(
        packagesOf('id-cf_cuda12', [makePackage({ name: 'pytorch' })])
      );
      await flush();
    });
    expect(badge()?.dataset.status).toBe('warning');
    expect(badge()?.getAttribute('aria-label')).toContain(
      'minor-version compatibility'
    );
  });
});

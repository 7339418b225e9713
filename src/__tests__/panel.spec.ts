import { Widget } from '@lumino/widgets';
import { act, fireEvent } from '@testing-library/react';

import { EnvironmentsModel } from '../model';
import { CondaEnvsPanel } from '../panel';
import { FakeClient, flush, listing, makeEnv } from './fixtures';

describe('CondaEnvsPanel', () => {
  let panel: CondaEnvsPanel | null = null;
  let model: EnvironmentsModel | null = null;

  afterEach(() => {
    // Disposing unmounts React roots: let React see it as a test action.
    act(() => {
      panel?.dispose();
    });
    model?.dispose();
    panel = model = null;
  });

  it('loads when shown, renders the list and refreshes from its button', async () => {
    const client = new FakeClient();
    model = new EnvironmentsModel({ client, refreshInterval: 0 });
    panel = new CondaEnvsPanel({
      model,
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

    panel.hide();
    await act(async () => {
      panel?.show();
      await flush();
    });
    // A second show while the refresh is in flight asks nothing more.
    expect(client.listCalls).toHaveLength(2);
  });
});

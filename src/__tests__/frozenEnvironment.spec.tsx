import { nullTranslator } from '@jupyterlab/translation';
import { render, within } from '@testing-library/react';
import * as React from 'react';

import type { EnvironmentSummary } from '../environments/api';
import { EnvironmentDetails } from '../environments/environmentDetails';
import { EnvironmentRow } from '../environments/environmentRow';
import { makeEnv } from './fixtures';

const trans = nullTranslator.load('jupyterlab_conda_envs');

function renderRow(env: EnvironmentSummary): HTMLElement {
  const { container } = render(
    <EnvironmentRow
      env={env}
      expanded={false}
      active={false}
      detailsId="details"
      onToggle={() => undefined}
      trans={trans}
    />
  );
  return container;
}

function renderDetails(env: EnvironmentSummary): HTMLElement {
  const { container } = render(
    <EnvironmentDetails
      id="details"
      env={env}
      notebookOpen={false}
      activeKernelName={null}
      actions={{ useKernel: jest.fn(), newNotebook: jest.fn() }}
      packages={undefined}
      packagePage={{ items: [], page: 0, pageCount: 1, total: 0 }}
      packageSearch=""
      onPackageSearch={() => undefined}
      onPackagePage={() => undefined}
      trans={trans}
    />
  );
  return container;
}

describe('a frozen environment', () => {
  it('is marked on its row with a word, an icon and the reason', () => {
    const container = renderRow(
      makeEnv({
        name: 'paper',
        frozen: true,
        frozen_message: 'pinned for the paper'
      })
    );
    const mark = container.querySelector(
      '.jp-CondaEnvs-EnvironmentList-frozenMark'
    ) as HTMLElement;
    expect(mark.textContent).toBe('frozen');
    expect(mark.title).toBe(
      'Frozen: conda refuses to change this environment. Reason: pinned for the paper'
    );
    const icon = mark.querySelector('.jp-CondaEnvs-EnvironmentList-frozenIcon');
    expect(icon?.querySelector('svg')).not.toBeNull();
    // The word is read; the icon beside it is not read twice.
    expect(icon?.getAttribute('aria-hidden')).toBe('true');
    // The row's button is named with the mark, so a screen reader hears it.
    expect(within(container).getByRole('button').textContent).toContain(
      'frozen'
    );
  });

  it('has a plain tooltip when the file gives no reason', () => {
    const container = renderRow(
      makeEnv({ name: 'paper', frozen: true, frozen_message: null })
    );
    expect(
      (
        container.querySelector(
          '.jp-CondaEnvs-EnvironmentList-frozenMark'
        ) as HTMLElement
      ).title
    ).toBe('Frozen: conda refuses to change this environment');
  });

  it('is not marked when not frozen', () => {
    const container = renderRow(makeEnv({ name: 'free' }));
    expect(
      container.querySelector('.jp-CondaEnvs-EnvironmentList-frozenMark')
    ).toBeNull();
    expect(container.textContent).not.toContain('frozen');
  });

  it('shows the reason in its details, as text', () => {
    const container = renderDetails(
      makeEnv({
        name: 'paper',
        frozen: true,
        frozen_message: '<b>do not</b> touch'
      })
    );
    const frozen = container.querySelector(
      '.jp-CondaEnvs-EnvironmentDetails-frozen'
    ) as HTMLElement;
    expect(frozen.textContent).toContain(
      'conda refuses to change this environment'
    );
    const message = frozen.querySelector(
      '.jp-CondaEnvs-EnvironmentDetails-frozenMessage'
    );
    expect(message?.textContent).toBe('<b>do not</b> touch');
    expect(message?.querySelector('b')).toBeNull();
  });

  it('has no frozen entry in the details when not frozen', () => {
    const container = renderDetails(makeEnv({ name: 'free' }));
    expect(
      container.querySelector('.jp-CondaEnvs-EnvironmentDetails-frozen')
    ).toBeNull();
  });
});

describe('a frozen environment without ipykernel', () => {
  it('offers no install command, which conda would refuse', () => {
    const frozen = renderDetails(
      makeEnv({
        has_ipykernel: false,
        kernels: [],
        frozen: true,
        frozen_message: ''
      })
    );
    expect(frozen.textContent).toContain('conda refuses to add one');
    expect(frozen.textContent).not.toContain('conda install');
    const open = renderDetails(
      makeEnv({
        has_ipykernel: false,
        kernels: [],
        frozen: false,
        frozen_message: null
      })
    );
    expect(open.textContent).toContain('conda install');
  });
});

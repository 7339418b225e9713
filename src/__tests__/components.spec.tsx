import { Clipboard } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import * as React from 'react';

import type { EnvironmentSummary, PackageRecord } from '../environments/api';
import { IKernelActions } from '../environments/environmentDetails';
import { EnvironmentList } from '../environments/environmentList';
import { EnvironmentsModel } from '../environments/model';
import { RequestError } from '../core/request';
import {
  FakeClient,
  flush,
  listing,
  makeEnv,
  makePackage,
  packagesOf
} from './fixtures';

const trans = nullTranslator.load('jupyterlab_conda_envs');

/**
 * Re-render on every model change, as the panel's VDomRenderer does.
 */
function Harness(props: {
  model: EnvironmentsModel;
  actions: IKernelActions;
}): JSX.Element {
  const [, setTick] = React.useState(0);
  React.useEffect(() => {
    const onChange = (): void => setTick(tick => tick + 1);
    props.model.stateChanged.connect(onChange);
    return () => {
      props.model.stateChanged.disconnect(onChange);
    };
  }, [props.model]);
  return (
    <EnvironmentList
      model={props.model}
      actions={props.actions}
      trans={trans}
    />
  );
}

interface ISetup {
  client: FakeClient;
  model: EnvironmentsModel;
  actions: { useKernel: jest.Mock; newNotebook: jest.Mock };
  container: HTMLElement;
}

const models: EnvironmentsModel[] = [];

afterEach(() => {
  while (models.length) {
    models.pop()?.dispose();
  }
  jest.restoreAllMocks();
});

/**
 * Render the list over a model; with `envs`, answer its first listing.
 */
async function setup(envs?: EnvironmentSummary[]): Promise<ISetup> {
  const client = new FakeClient();
  const model = new EnvironmentsModel({ client, refreshInterval: 0 });
  models.push(model);
  const actions = { useKernel: jest.fn(), newNotebook: jest.fn() };
  const { container } = render(<Harness model={model} actions={actions} />);
  if (envs) {
    await act(async () => {
      const done = model.ensureLoaded();
      client.lastList.resolve(listing(envs));
      await done;
    });
  }
  return { client, model, actions, container };
}

function row(container: HTMLElement, name: string): HTMLElement {
  // Compare datasets: names may hold characters a selector cannot.
  const item = Array.from(
    container.querySelectorAll<HTMLElement>('[data-env-name]')
  ).find(candidate => candidate.dataset.envName === name);
  if (!item) {
    throw new Error(`no row for ${name}`);
  }
  return item;
}

/**
 * Expand an environment and answer its package request.
 */
async function expandWith(
  setupResult: ISetup,
  name: string,
  packages: PackageRecord[]
): Promise<HTMLElement> {
  const item = row(setupResult.container, name);
  fireEvent.click(within(item).getAllByRole('button')[0]);
  await act(async () => {
    setupResult.client.lastPackages.resolve(
      packagesOf(item.dataset.envId ?? '', packages)
    );
    await flush();
  });
  return item;
}

describe('EnvironmentList', () => {
  it('shows a loading state before the listing arrives', async () => {
    const { container } = await setup();
    expect(screen.getByRole('status').textContent).toContain(
      'Looking for conda environments'
    );
    expect(container.querySelectorAll('[data-env-name]')).toHaveLength(0);
  });

  it('shows an empty state when no environment was found', async () => {
    const { container } = await setup([]);
    expect(
      container.querySelector('.jp-CondaEnvs-EnvironmentList-empty')
        ?.textContent
    ).toBe('No conda environments were found.');
  });

  it('shows a listing error', async () => {
    const { client, model } = await setup();
    await act(async () => {
      const done = model.ensureLoaded();
      client.lastList.reject(
        new RequestError({ message: 'forbidden', status: 403, url: '' })
      );
      await done;
    });
    expect(screen.getByRole('alert').textContent).toContain('forbidden');
  });

  it('tells how to enable a missing server extension', async () => {
    const { client, model, container } = await setup();
    await act(async () => {
      const done = model.ensureLoaded();
      client.lastList.reject(
        new RequestError({ message: 'Not Found', status: 404, url: '' })
      );
      await done;
    });
    const alert = screen.getByRole('alert');
    expect(
      alert.classList.contains('jp-CondaEnvs-EnvironmentList-serverMissing')
    ).toBe(true);
    expect(
      container.querySelector('.jp-CondaEnvs-CommandSnippet-code')?.textContent
    ).toBe('jupyter server extension enable jupyterlab_conda_envs');
  });

  it('renders one row per environment with its facts', async () => {
    const { container } = await setup([
      makeEnv({
        name: 'base',
        kind: 'base',
        manager: 'mamba',
        python_version: '3.12.4',
        package_counts: { conda: 230, pip: 3 },
        is_server_env: true,
        kernels: [
          { name: 'python3', display_name: 'Python 3', language: 'python' }
        ]
      }),
      makeEnv({
        name: 'r-env',
        python_version: null,
        kernels: [],
        errors: ['conda-meta/history: permission denied']
      })
    ]);
    const base = row(container, 'base');
    expect(base.dataset.envId).toBe('id-base');
    const text = (selector: string, item = base): string =>
      item.querySelector(selector)?.textContent ?? '';
    expect(text('.jp-CondaEnvs-EnvironmentList-name')).toBe('base');
    expect(text('.jp-CondaEnvs-EnvironmentList-badge-base')).toBe('base');
    expect(text('.jp-CondaEnvs-EnvironmentList-manager')).toBe('mamba');
    expect(text('.jp-CondaEnvs-EnvironmentList-python')).toBe('Python 3.12.4');
    expect(text('.jp-CondaEnvs-EnvironmentList-counts')).toBe(
      '230 conda, 3 pip'
    );
    expect(text('.jp-CondaEnvs-EnvironmentList-kernels')).toBe(
      'Kernels: Python 3'
    );
    expect(text('.jp-CondaEnvs-EnvironmentList-serverMark')).toBe(
      'Jupyter server'
    );

    const rEnv = row(container, 'r-env');
    expect(text('.jp-CondaEnvs-EnvironmentList-badge-named', rEnv)).toBe(
      'named'
    );
    expect(text('.jp-CondaEnvs-EnvironmentList-python', rEnv)).toBe(
      'no Python'
    );
    expect(rEnv.querySelector('.jp-CondaEnvs-EnvironmentList-serverMark')).toBe(
      null
    );
    expect(text('.jp-CondaEnvs-EnvironmentList-errors', rEnv)).toBe(
      'conda-meta/history: permission denied'
    );
  });

  it('highlights the environment of the current notebook', async () => {
    const { container, model } = await setup([
      makeEnv({ name: 'torch' }),
      makeEnv({ name: 'jax' })
    ]);
    act(() => {
      model.activeKernelName = 'conda-env-jax-py';
    });
    expect(row(container, 'jax').classList.contains('jp-mod-active')).toBe(
      true
    );
    expect(row(container, 'torch').classList.contains('jp-mod-active')).toBe(
      false
    );
  });

  it('filters the rows through the model as the user types', async () => {
    const { container, model } = await setup([
      makeEnv({ name: 'torch' }),
      makeEnv({ name: 'jax' })
    ]);
    const filter = screen.getByRole('searchbox', {
      name: 'Filter environments'
    });
    fireEvent.change(filter, { target: { value: 'jax' } });
    expect(model.filter).toBe('jax');
    expect(
      Array.from(
        container.querySelectorAll<HTMLElement>('[data-env-name]')
      ).map(item => item.dataset.envName)
    ).toEqual(['jax']);

    fireEvent.change(filter, { target: { value: 'nope' } });
    expect(
      container.querySelector('.jp-CondaEnvs-EnvironmentList-empty')
        ?.textContent
    ).toContain('nope');
  });

  it('opens details from a row button with aria-expanded', async () => {
    const { container, model } = await setup([makeEnv({ name: 'torch' })]);
    const button = within(row(container, 'torch')).getAllByRole('button')[0];
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(model.expandedId).toBe('id-torch');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const details = container.querySelector(
      `#${button.getAttribute('aria-controls')}`
    );
    expect(details?.classList.contains('jp-CondaEnvs-EnvironmentDetails')).toBe(
      true
    );
    expect(screen.getByRole('status').textContent).toBe('Loading packages…');
  });
});

describe('reveal', () => {
  it('opens, scrolls to and focuses the revealed row once it is rendered', async () => {
    const scrollIntoView = jest.fn();
    Object.defineProperty(HTMLElement.prototype, 'scrollIntoView', {
      configurable: true,
      value: scrollIntoView
    });
    try {
      const result = await setup();
      // Asked before the listing arrives: it waits for the row.
      act(() => {
        result.model.reveal('id-jax');
      });
      expect(result.model.revealId).toBe('id-jax');
      await act(async () => {
        const done = result.model.ensureLoaded();
        result.client.lastList.resolve(
          listing([makeEnv({ name: 'torch' }), makeEnv({ name: 'jax' })])
        );
        result.client.lastPackages.resolve(packagesOf('id-jax', []));
        await done;
      });
      const jaxRow = within(row(result.container, 'jax')).getAllByRole(
        'button'
      )[0];
      expect(document.activeElement).toBe(jaxRow);
      expect(jaxRow.getAttribute('aria-expanded')).toBe('true');
      expect(scrollIntoView).toHaveBeenCalledTimes(1);
      expect(result.model.revealId).toBeNull();

      // Revealing an environment the filter hides clears the filter.
      act(() => {
        result.model.filter = 'jax';
      });
      act(() => {
        result.model.reveal('id-torch');
      });
      const torchRow = within(row(result.container, 'torch')).getAllByRole(
        'button'
      )[0];
      expect(document.activeElement).toBe(torchRow);
      expect(result.model.filter).toBe('');
    } finally {
      delete (HTMLElement.prototype as Partial<HTMLElement>).scrollIntoView;
    }
  });
});

describe('EnvironmentDetails', () => {
  it('offers kernel actions, disabled without a notebook', async () => {
    const result = await setup([makeEnv({ name: 'torch' })]);
    const item = await expandWith(result, 'torch', []);
    const use = within(item).getByRole('button', {
      name: 'Use in this notebook'
    }) as HTMLButtonElement;
    expect(use.disabled).toBe(true);
    expect(use.title).toBe('Open a notebook to switch its kernel');

    act(() => {
      result.model.notebookOpen = true;
    });
    expect(use.disabled).toBe(false);
    fireEvent.click(use);
    expect(result.actions.useKernel).toHaveBeenCalledWith('conda-env-torch-py');

    act(() => {
      result.model.activeKernelName = 'conda-env-torch-py';
    });
    expect(use.disabled).toBe(true);
    expect(use.title).toBe('The current notebook already uses this kernel');

    fireEvent.click(within(item).getByRole('button', { name: 'New notebook' }));
    expect(result.actions.newNotebook).toHaveBeenCalledWith(
      'conda-env-torch-py'
    );
  });

  it('gives the commands that install ipykernel', async () => {
    const result = await setup([
      makeEnv({
        name: 'bare',
        prefix: '/opt/conda/envs/bare env',
        has_ipykernel: false,
        kernels: []
      })
    ]);
    const item = await expandWith(result, 'bare', []);
    expect(item.textContent).toContain('No ipykernel in this environment');
    const commands = Array.from(
      item.querySelectorAll('.jp-CondaEnvs-CommandSnippet-code')
    ).map(code => code.textContent);
    expect(commands).toEqual([
      "conda install -p '/opt/conda/envs/bare env' ipykernel",
      "'/opt/conda/envs/bare env/bin/python' -m pip install ipykernel"
    ]);

    const copy = jest
      .spyOn(Clipboard, 'copyToSystem')
      .mockImplementation(() => undefined);
    fireEvent.click(within(item).getAllByTitle('Copy the command')[0]);
    expect(copy).toHaveBeenCalledWith(
      "conda install -p '/opt/conda/envs/bare env' ipykernel"
    );
  });

  it('gives the command that registers a kernel when ipykernel is there', async () => {
    const result = await setup([
      makeEnv({ name: 'My Env', prefix: '/envs/My Env', kernels: [] })
    ]);
    const item = await expandWith(result, 'My Env', []);
    expect(
      item.querySelector('.jp-CondaEnvs-CommandSnippet-code')?.textContent
    ).toBe(
      "'/envs/My Env/bin/python' -m ipykernel install --user " +
        "--name conda-env-my-env-py --display-name 'Python [conda env:My Env]'"
    );
  });
});

describe('PackageTable', () => {
  const numpyPip = makePackage({
    name: 'numpy',
    version: '1.26.4',
    source: 'pypi',
    conflicts: [{ name: 'numpy', version: '1.24.3', source: 'conda' }]
  });
  const numpyConda = makePackage({
    name: 'numpy',
    version: '1.24.3',
    conflicts: [{ name: 'numpy', version: '1.26.4', source: 'pypi' }]
  });
  const mine = makePackage({
    name: 'mylib',
    version: '0.1.dev0',
    source: 'pypi',
    editable: true
  });

  it('tags pip, editable and conflicting packages', async () => {
    const result = await setup([makeEnv({ name: 'torch' })]);
    const item = await expandWith(result, 'torch', [
      mine,
      numpyConda,
      numpyPip
    ]);
    const rows = item.querySelectorAll<HTMLElement>('[data-package-name]');
    expect(Array.from(rows).map(r => r.dataset.packageName)).toEqual([
      'mylib',
      'numpy',
      'numpy'
    ]);
    const tags = (r: Element): string[] =>
      Array.from(r.querySelectorAll('.jp-CondaEnvs-PackageTable-tag')).map(
        tag => tag.textContent ?? ''
      );
    expect(tags(rows[0])).toEqual(['pip', 'editable']);
    expect(
      rows[0].querySelector('.jp-CondaEnvs-PackageTable-tag-editable')
    ).not.toBeNull();
    expect(tags(rows[1])).toEqual(['conflict']);
    expect(tags(rows[2])).toEqual(['pip', 'conflict']);

    const conflictTitles = Array.from(
      item.querySelectorAll<HTMLElement>(
        '.jp-CondaEnvs-PackageTable-tag-conflict'
      )
    ).map(tag => tag.title);
    expect(conflictTitles).toEqual([
      'pip numpy 1.26.4 shadows conda numpy 1.24.3',
      'pip numpy 1.26.4 shadows conda numpy 1.24.3'
    ]);

    const cells = Array.from(rows[1].querySelectorAll('td')).map(
      cell => cell.textContent
    );
    expect(cells).toEqual([
      'numpyconflict',
      '1.24.3',
      'py311h08b1b3b_0',
      'conda-forge'
    ]);
  });

  it('searches packages by name', async () => {
    const result = await setup([makeEnv({ name: 'torch' })]);
    const item = await expandWith(result, 'torch', [mine, numpyConda]);
    fireEvent.change(
      within(item).getByRole('searchbox', { name: 'Search packages' }),
      { target: { value: 'NUM' } }
    );
    expect(result.model.packageSearch).toBe('NUM');
    const names = Array.from(
      item.querySelectorAll<HTMLElement>('[data-package-name]')
    ).map(r => r.dataset.packageName);
    expect(names).toEqual(['numpy']);
    expect(
      item.querySelector('.jp-CondaEnvs-PackageTable-summary')?.textContent
    ).toBe('1 of 2 packages match');
  });

  it('pages 1,000+ packages, 100 rows at a time', async () => {
    const many = Array.from({ length: 1234 }, (_, i) =>
      makePackage({ name: `pkg-${String(i).padStart(4, '0')}` })
    );
    const result = await setup([makeEnv({ name: 'torch' })]);
    const item = await expandWith(result, 'torch', many);
    const rows = (): HTMLElement[] =>
      Array.from(item.querySelectorAll<HTMLElement>('[data-package-name]'));
    expect(rows()).toHaveLength(100);
    expect(item.textContent).toContain('Page 1 of 13');
    const previous = within(item).getByRole('button', {
      name: 'Previous'
    }) as HTMLButtonElement;
    expect(previous.disabled).toBe(true);

    fireEvent.click(within(item).getByRole('button', { name: 'Next' }));
    expect(rows()[0].dataset.packageName).toBe('pkg-0100');
    expect(item.textContent).toContain('Page 2 of 13');

    act(() => {
      result.model.packagePage = 12;
    });
    expect(rows()).toHaveLength(34);
    const next = within(item).getByRole('button', {
      name: 'Next'
    }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
  });

  it('shows package errors', async () => {
    const result = await setup([makeEnv({ name: 'torch' })]);
    const item = row(result.container, 'torch');
    fireEvent.click(within(item).getAllByRole('button')[0]);
    await act(async () => {
      result.client.lastPackages.resolve({
        ...packagesOf('id-torch', [makePackage()]),
        errors: [
          { file: 'conda-meta/broken-1.0-0.json', message: 'invalid JSON' }
        ]
      });
      await flush();
    });
    expect(
      item.querySelector('.jp-CondaEnvs-PackageTable-fileErrors')?.textContent
    ).toContain('conda-meta/broken-1.0-0.json: invalid JSON');

    await act(async () => {
      const done = result.model.loadPackages('id-torch');
      result.client.lastPackages.reject(
        new RequestError({
          message: 'unknown environment',
          status: 404,
          url: ''
        })
      );
      await done;
    });
    expect(
      item.querySelector('.jp-CondaEnvs-PackageTable-error')?.textContent
    ).toBe('Could not read the packages: unknown environment');
  });

  it('shows markup in names as text', async () => {
    const evil = '<img src=x onerror="window.pwned=1"><b>bold</b>';
    const result = await setup([
      makeEnv({ name: evil, errors: ['<script>bad()</script>'] })
    ]);
    const item = await expandWith(result, evil, [
      makePackage({ name: evil, version: '<i>1</i>' })
    ]);
    expect(result.container.querySelector('img')).toBeNull();
    expect(result.container.querySelector('b')).toBeNull();
    expect(result.container.querySelector('script')).toBeNull();
    expect(result.container.querySelector('i')).toBeNull();
    expect(
      item.querySelector('.jp-CondaEnvs-EnvironmentList-name')?.textContent
    ).toBe(evil);
    expect(
      item.querySelector('.jp-CondaEnvs-PackageTable-nameText')?.textContent
    ).toBe(evil);
  });
});

import { nullTranslator } from '@jupyterlab/translation';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { PromiseDelegate } from '@lumino/coreutils';
import * as React from 'react';

import type { EnvironmentSummary } from '../environments/api';
import type { ProjectResponse } from '../kernels/api';
import { ProjectEnvironment } from '../kernels/projectEnvironment';
import type { EnvironmentsModel } from '../environments/model';
import { makeEnv, makeProject, projectOf } from './fixtures';

const trans = nullTranslator.load('jupyterlab_conda_envs');
const PATH = 'projects/runnable_project/notebooks/train.ipynb';

function loadedState(
  response: ProjectResponse
): EnvironmentsModel.IProjectState {
  return { path: PATH, status: 'loaded', response, error: '' };
}

const runnable = makeEnv({ name: 'runnable' });
const torch = makeEnv({ name: 'torch' });

/**
 * Render the section; `onSwitch` records the kernels it is asked for.
 */
function show(
  state: EnvironmentsModel.IProjectState,
  options: {
    kernelName?: string | null;
    environments?: EnvironmentSummary[];
    onSwitch?: (kernelName: string) => Promise<unknown>;
  } = {}
): { root: HTMLElement; onSwitch: jest.Mock; unmount: () => void } {
  const onSwitch = jest.fn(options.onSwitch ?? (() => Promise.resolve()));
  const { container, unmount } = render(
    <ProjectEnvironment
      state={state}
      environments={options.environments ?? [runnable, torch]}
      kernelName={
        options.kernelName === undefined ? 'python3' : options.kernelName
      }
      onSwitch={onSwitch}
      trans={trans}
    />
  );
  const root = container.querySelector<HTMLElement>(
    '.jp-CondaEnvs-ProjectEnvironment'
  );
  if (!root) {
    throw new Error('no section rendered');
  }
  return { root, onSwitch, unmount };
}

function text(root: HTMLElement, part: string): string {
  return (
    root.querySelector(`.jp-CondaEnvs-ProjectEnvironment-${part}`)
      ?.textContent ?? ''
  );
}

describe('ProjectEnvironment', () => {
  it('shows loading before the first answer', () => {
    const { root } = show({
      path: PATH,
      status: 'loading',
      response: null,
      error: ''
    });
    expect(root.dataset.status).toBe('loading');
    expect(screen.getByRole('status').textContent).toContain('Looking for');
    expect(root.getAttribute('aria-busy')).toBe('true');
  });

  it('shows an error as text', () => {
    const { root } = show({
      path: PATH,
      status: 'error',
      response: null,
      error: "no folder 'gone' under the server root"
    });
    expect(root.dataset.status).toBe('error');
    expect(screen.getByRole('alert').textContent).toBe(
      "Could not find the project environment: no folder 'gone' under the server root"
    );
  });

  it('explains why there is no project environment, and names unresolved files', () => {
    const { root } = show(
      loadedState(
        projectOf(PATH, null, [
          {
            file: 'projects/ghost_project/environment.yaml',
            name: 'ghost_env',
            reason: "no environment named 'ghost_env'"
          },
          {
            file: 'environment.yml',
            name: '',
            reason: 'no top-level name: line'
          }
        ])
      )
    );
    expect(root.dataset.status).toBe('none');
    expect(root.dataset.envId).toBeUndefined();
    expect(text(root, 'none')).toBe(
      "No project environment: no environment.yml naming an environment, and no ./env, ./.conda or .pixi prefix, between this notebook's folder and the server root"
    );
    const items = Array.from(
      root.querySelectorAll<HTMLElement>(
        '.jp-CondaEnvs-ProjectEnvironment-unresolvedItem'
      )
    );
    expect(items.map(item => item.textContent)).toEqual([
      'projects/ghost_project/environment.yaml names “ghost_env”, which is not an environment here',
      'environment.yml: no top-level name: line'
    ]);
    expect(items[0].title).toBe("no environment named 'ghost_env'");
    expect(root.querySelector('button')).toBeNull();
  });

  it('says the notebook runs in its project environment (by kernel name)', () => {
    const { root } = show(loadedState(projectOf(PATH, makeProject())), {
      kernelName: 'conda-env-runnable-py'
    });
    expect(root.dataset.status).toBe('match');
    expect(root.dataset.envId).toBe('id-runnable');
    expect(text(root, 'name')).toBe('runnable');
    expect(text(root, 'file')).toBe(
      'projects/runnable_project/environment.yml'
    );
    expect(text(root, 'verdict')).toBe(
      'This notebook runs in its project environment'
    );
    expect(root.querySelector('button')).toBeNull();
  });

  it('counts any kernel of the project environment as a match', () => {
    const grouped = makeEnv({
      name: 'runnable',
      kernels: [
        {
          name: 'conda-env-runnable-py',
          display_name: 'Python [conda env:runnable]',
          language: 'python'
        },
        { name: 'my-runnable', display_name: 'Mine', language: 'python' }
      ]
    });
    const { root } = show(loadedState(projectOf(PATH, makeProject())), {
      kernelName: 'my-runnable',
      environments: [grouped, torch]
    });
    expect(root.dataset.status).toBe('match');
  });

  it('names a project-local prefix as where it came from', () => {
    const { root } = show(
      loadedState(
        projectOf(
          PATH,
          makeProject({
            name: 'projects/local_project/env',
            source: 'prefix',
            file: 'projects/local_project/env'
          })
        )
      ),
      { kernelName: 'conda-env-projects-local-py' }
    );
    expect(root.textContent).toContain('Project prefix');
    expect(text(root, 'file')).toBe('projects/local_project/env');
  });

  it('offers to switch a notebook that runs elsewhere', async () => {
    const { root, onSwitch } = show(
      loadedState(projectOf(PATH, makeProject())),
      { kernelName: 'conda-env-torch-py' }
    );
    expect(root.dataset.status).toBe('mismatch');
    expect(text(root, 'verdict')).toBe(
      'This notebook runs in Python [conda env:torch] (environment torch)'
    );
    const button = screen.getByRole('button', {
      name: 'Switch to runnable'
    }) as HTMLButtonElement;
    await act(async () => {
      fireEvent.click(button);
    });
    expect(onSwitch).toHaveBeenCalledWith('conda-env-runnable-py');
  });

  it('describes a kernel outside every environment, and no kernel', () => {
    const first = show(loadedState(projectOf(PATH, makeProject())), {
      kernelName: 'remote-kernel'
    });
    expect(text(first.root, 'verdict')).toBe(
      'This notebook runs in remote-kernel'
    );
    first.unmount();
    const second = show(loadedState(projectOf(PATH, makeProject())), {
      kernelName: null
    });
    expect(second.root.dataset.status).toBe('mismatch');
    expect(text(second.root, 'verdict')).toBe('This notebook has no kernel');
  });

  it('is busy while switching and shows why a switch failed', async () => {
    const reply = new PromiseDelegate<void>();
    const { root } = show(loadedState(projectOf(PATH, makeProject())), {
      onSwitch: () => reply.promise
    });
    const button = root.querySelector<HTMLButtonElement>(
      '.jp-CondaEnvs-ProjectEnvironment-switch'
    );
    expect(button?.textContent).toBe('Switch to runnable');
    act(() => {
      fireEvent.click(button as HTMLButtonElement);
    });
    expect(button?.disabled).toBe(true);
    expect(button?.textContent).toBe('Switching to runnable…');
    expect(button?.getAttribute('aria-busy')).toBe('true');

    await act(async () => {
      reply.reject(new Error('No such kernel'));
      await reply.promise.catch(() => undefined);
    });
    expect(button?.disabled).toBe(false);
    expect(button?.textContent).toBe('Switch to runnable');
    expect(text(root, 'switchError')).toBe(
      'Could not switch the kernel: No such kernel'
    );
  });

  it('says a project environment has no kernel, with the ipykernel commands', () => {
    const bare = makeEnv({
      name: 'bare',
      prefix: '/opt/conda/envs/bare',
      has_ipykernel: false,
      kernels: []
    });
    const project = makeProject({
      name: 'bare',
      prefix: '/opt/conda/envs/bare',
      kernel: null
    });
    const { root } = show(loadedState(projectOf(PATH, project)), {
      environments: [bare]
    });
    expect(root.dataset.status).toBe('no-kernel');
    expect(
      root.querySelector('.jp-CondaEnvs-ProjectEnvironment-switch')
    ).toBeNull();
    expect(text(root, 'noKernel')).toContain('bare has no kernel');
    const commands = Array.from(
      root.querySelectorAll('.jp-CondaEnvs-CommandSnippet-code')
    ).map(code => code.textContent);
    expect(commands).toEqual([
      "conda install -p '/opt/conda/envs/bare' ipykernel",
      "'/opt/conda/envs/bare/bin/python' -m pip install ipykernel"
    ]);
  });

  it('gives the ipykernel commands from the prefix before the listing', () => {
    const project = makeProject({ kernel: null });
    const { root } = show(loadedState(projectOf(PATH, project)), {
      environments: []
    });
    expect(root.dataset.status).toBe('no-kernel');
    expect(
      root.querySelector('.jp-CondaEnvs-EnvironmentDetails-noIpykernel')
    ).not.toBeNull();
  });

  it('keeps showing the last answer while it reloads', () => {
    const { root } = show(
      {
        path: PATH,
        status: 'loading',
        response: projectOf(PATH, makeProject()),
        error: ''
      },
      { kernelName: 'conda-env-runnable-py' }
    );
    expect(root.dataset.status).toBe('match');
    expect(root.getAttribute('aria-busy')).toBe('true');
  });
});

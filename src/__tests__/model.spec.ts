import { EnvironmentsModel } from '../environments/model';
import { RequestError } from '../core/request';
import {
  FakeClient,
  flush,
  listing,
  makeEnv,
  makePackage,
  makeProject,
  packagesOf,
  projectOf
} from './fixtures';

function setup(refreshInterval = 0): {
  client: FakeClient;
  model: EnvironmentsModel;
} {
  const client = new FakeClient();
  const model = new EnvironmentsModel({ client, refreshInterval });
  return { client, model };
}

/**
 * A model whose first listing answered with `envs`.
 */
async function loaded(
  envs = [makeEnv({ name: 'torch' }), makeEnv({ name: 'jax' })]
): Promise<{ client: FakeClient; model: EnvironmentsModel }> {
  const { client, model } = setup();
  const done = model.ensureLoaded();
  client.lastList.resolve(listing(envs));
  await done;
  return { client, model };
}

describe('EnvironmentsModel', () => {
  let model: EnvironmentsModel | null = null;

  afterEach(() => {
    model?.dispose();
    model = null;
  });

  describe('loading', () => {
    it('loads nothing until asked, then once', async () => {
      const setupResult = setup();
      model = setupResult.model;
      const { client } = setupResult;
      expect(model.status).toBe('idle');
      expect(client.listCalls).toHaveLength(0);

      const done = model.ensureLoaded();
      expect(model.status).toBe('loading');
      expect(model.isRefreshing).toBe(true);
      client.lastList.resolve(listing([makeEnv({ name: 'torch' })]));
      await done;

      expect(model.status).toBe('loaded');
      expect(model.isRefreshing).toBe(false);
      expect(model.environments.map(env => env.name)).toEqual(['torch']);
      expect(model.serverPrefix).toBe('/opt/conda');

      await model.ensureLoaded();
      expect(client.listCalls).toHaveLength(1);
    });

    it('emits stateChanged when the listing arrives', async () => {
      const setupResult = setup();
      model = setupResult.model;
      let emitted = 0;
      model.stateChanged.connect(() => emitted++);
      const done = model.ensureLoaded();
      setupResult.client.lastList.resolve(listing([]));
      await done;
      expect(emitted).toBeGreaterThanOrEqual(2);
    });

    it('keeps the newest listing when an older answer comes back last', async () => {
      const setupResult = setup();
      model = setupResult.model;
      const { client } = setupResult;
      const first = model.refresh();
      const second = model.refresh();
      expect(client.listCalls).toHaveLength(2);

      client.listCalls[1].resolve(listing([makeEnv({ name: 'new' })]));
      await second;
      client.listCalls[0].resolve(listing([makeEnv({ name: 'old' })]));
      await first;

      expect(model.environments.map(env => env.name)).toEqual(['new']);
      expect(model.isRefreshing).toBe(false);
    });

    it('ignores an older failure after a newer success', async () => {
      const setupResult = setup();
      model = setupResult.model;
      const { client } = setupResult;
      const first = model.refresh();
      const second = model.refresh();
      client.listCalls[1].resolve(listing([makeEnv({ name: 'new' })]));
      await second;
      client.listCalls[0].reject(
        new RequestError({ message: 'gone', status: 404, url: '' })
      );
      await first;
      expect(model.status).toBe('loaded');
      expect(model.error).toBe('');
    });

    it('says the server extension is missing on a 404', async () => {
      const setupResult = setup();
      model = setupResult.model;
      const done = model.ensureLoaded();
      setupResult.client.lastList.reject(
        new RequestError({ message: 'Not Found', status: 404, url: '' })
      );
      await done;
      expect(model.status).toBe('server-extension-missing');
      expect(model.error).toContain(
        'jupyter server extension enable jupyterlab_conda_envs'
      );
      expect(model.error).toContain('restart');
    });

    it('says the server extension is missing when nothing answers', async () => {
      const setupResult = setup();
      model = setupResult.model;
      const done = model.refresh();
      setupResult.client.lastList.reject(
        new RequestError({ message: 'Failed to fetch', status: 0, url: '' })
      );
      await done;
      expect(model.status).toBe('server-extension-missing');
    });

    it('reports other failures as errors and keeps the last listing', async () => {
      const result = await loaded();
      model = result.model;
      const done = model.refresh();
      result.client.lastList.reject(
        new RequestError({ message: 'forbidden', status: 403, url: '' })
      );
      await done;
      expect(model.status).toBe('error');
      expect(model.error).toContain('forbidden');
      expect(model.environments).toHaveLength(2);
    });
  });

  describe('filter', () => {
    const envs = [
      makeEnv({ name: 'torch', python_version: '3.11.9' }),
      makeEnv({
        name: 'jax',
        prefix: '/home/me/miniforge3/envs/jax',
        python_version: '3.10.14',
        kernels: [
          { name: 'jax-kernel', display_name: 'JAX GPU', language: 'python' }
        ]
      }),
      makeEnv({ name: '/data/project/env', kind: 'path', kernels: [] })
    ];

    it.each([
      ['', ['torch', 'jax', '/data/project/env']],
      ['TORCH', ['torch']],
      ['miniforge3', ['jax']],
      ['3.10', ['jax']],
      ['jax-kernel', ['jax']],
      ['jax gpu', ['jax']],
      ['/data/project', ['/data/project/env']],
      ['nothing-like-this', []]
    ])('"%s" matches %j', async (text, names) => {
      const result = await loaded(envs);
      model = result.model;
      model.filter = text;
      expect(model.filteredEnvironments.map(env => env.name)).toEqual(names);
      expect(model.environments).toHaveLength(3);
    });
  });

  describe('packages', () => {
    it('loads the packages of an environment when it is expanded, once', async () => {
      const result = await loaded();
      model = result.model;
      const { client } = result;
      model.expandedId = 'id-torch';
      expect(model.packagesOf('id-torch')?.status).toBe('loading');
      expect(client.packageCalls.map(call => call.id)).toEqual(['id-torch']);

      client.lastPackages.resolve(
        packagesOf('id-torch', [makePackage({ name: 'numpy' })])
      );
      await flush();
      expect(model.packagesOf('id-torch')?.status).toBe('loaded');
      expect(model.packagesOf('id-torch')?.packages[0].name).toBe('numpy');

      model.toggleExpanded('id-torch');
      expect(model.expandedId).toBeNull();
      model.toggleExpanded('id-torch');
      expect(model.expandedId).toBe('id-torch');
      expect(client.packageCalls).toHaveLength(1);
    });

    it('keeps a package error on its environment', async () => {
      const result = await loaded();
      model = result.model;
      model.expandedId = 'id-jax';
      result.client.lastPackages.reject(
        new RequestError({
          message: 'unknown environment id-jax',
          status: 404,
          url: ''
        })
      );
      await flush();
      const state = model.packagesOf('id-jax');
      expect(state?.status).toBe('error');
      expect(state?.error).toBe('unknown environment id-jax');
      // A package 404 is not a missing server extension.
      expect(model.status).toBe('loaded');
    });

    it('ignores an older package answer that comes back last', async () => {
      const result = await loaded();
      model = result.model;
      const { client } = result;
      const first = model.loadPackages('id-torch');
      const second = model.loadPackages('id-torch');
      client.packageCalls[1].reply.resolve(
        packagesOf('id-torch', [makePackage({ name: 'new' })])
      );
      await second;
      client.packageCalls[0].reply.resolve(
        packagesOf('id-torch', [makePackage({ name: 'old' })])
      );
      await first;
      expect(model.packagesOf('id-torch')?.packages.map(p => p.name)).toEqual([
        'new'
      ]);
    });

    it('drops cached packages when the counts change', async () => {
      const result = await loaded([makeEnv({ name: 'torch' })]);
      model = result.model;
      const { client } = result;
      model.expandedId = 'id-torch';
      client.lastPackages.resolve(packagesOf('id-torch', [makePackage()]));
      await flush();
      model.expandedId = null;

      // Same revision: the cache stays.
      let done = model.refresh();
      client.lastList.resolve(listing([makeEnv({ name: 'torch' })]));
      await done;
      expect(client.packageCalls).toHaveLength(1);

      // A new revision with the same counts (e.g. `conda update numpy`): stale.
      const changed = makeEnv({ name: 'torch', revision: 'r2' });
      done = model.refresh();
      client.lastList.resolve(listing([changed]));
      await done;
      expect(model.packagesOf('id-torch')).toBeUndefined();
    });

    it('searches and pages the packages, 100 a page', async () => {
      const result = await loaded();
      model = result.model;
      const many = Array.from({ length: 250 }, (_, i) =>
        makePackage({ name: `pkg-${String(i).padStart(3, '0')}` })
      );
      many.push(makePackage({ name: 'scikit-learn' }));
      model.expandedId = 'id-torch';
      result.client.lastPackages.resolve(packagesOf('id-torch', many));
      await flush();

      let page = model.packagePageOf('id-torch');
      expect(page.total).toBe(251);
      expect(page.pageCount).toBe(3);
      expect(page.items).toHaveLength(100);
      expect(page.items[0].name).toBe('pkg-000');

      model.packagePage = 2;
      page = model.packagePageOf('id-torch');
      expect(page.page).toBe(2);
      expect(page.items).toHaveLength(51);

      model.packageSearch = 'scikit_learn';
      expect(model.packagePage).toBe(0);
      page = model.packagePageOf('id-torch');
      expect(page.items.map(p => p.name)).toEqual(['scikit-learn']);
    });
  });

  describe('active environment', () => {
    it('is the environment whose kernels include the active kernel', async () => {
      const result = await loaded();
      model = result.model;
      expect(model.activeEnvId).toBeNull();
      model.activeKernelName = 'conda-env-jax-py';
      expect(model.activeEnvId).toBe('id-jax');
      model.activeKernelName = 'python3';
      expect(model.activeEnvId).toBeNull();
    });
  });

  describe('project environment', () => {
    const A = 'projects/a/train.ipynb';
    const B = 'projects/b/eval.ipynb';

    it('asks nothing before the model is in use, then for the current notebook', async () => {
      const setupResult = setup();
      model = setupResult.model;
      const { client } = setupResult;
      model.notebookPath = A;
      expect(model.project).toEqual({
        path: A,
        status: 'idle',
        response: null,
        error: ''
      });
      expect(client.projectCalls).toHaveLength(0);

      const done = model.ensureLoaded();
      expect(client.projectCalls.map(call => call.path)).toEqual([A]);
      expect(model.project.status).toBe('loading');
      client.lastList.resolve(listing([]));
      client.lastProject.resolve(projectOf(A, makeProject()));
      await done;
      expect(model.project.status).toBe('loaded');
      expect(model.project.response?.project?.name).toBe('runnable');
    });

    it('loads the project when the path changes, and on every refresh', async () => {
      const result = await loaded();
      model = result.model;
      const { client } = result;
      model.notebookPath = A;
      expect(client.projectCalls.map(call => call.path)).toEqual([A]);
      client.lastProject.resolve(projectOf(A, makeProject()));
      await flush();

      // The same path again asks nothing.
      model.notebookPath = A;
      expect(client.projectCalls).toHaveLength(1);

      const done = model.refresh();
      expect(client.projectCalls.map(call => call.path)).toEqual([A, A]);
      // While it reloads, the previous answer stays.
      expect(model.project.status).toBe('loading');
      expect(model.project.response?.project?.name).toBe('runnable');
      // The same environments: only the refresh asks for the project.
      client.lastList.resolve(
        listing([makeEnv({ name: 'torch' }), makeEnv({ name: 'jax' })])
      );
      client.lastProject.resolve(projectOf(A, null));
      await done;
      expect(client.projectCalls).toHaveLength(2);
      expect(model.project.response?.project).toBeNull();

      model.notebookPath = B;
      expect(client.projectCalls.map(call => call.path)).toEqual([A, A, B]);
      // Another notebook's answer is not shown for this one.
      expect(model.project.response).toBeNull();

      model.notebookPath = null;
      expect(model.project.path).toBeNull();
      expect(model.project.status).toBe('idle');
      // A refresh without a notebook asks for no project.
      void model.refresh();
      expect(client.projectCalls).toHaveLength(3);
      client.lastList.resolve(listing([]));
      await flush();
    });

    it('ignores the answer for a notebook that is no longer current', async () => {
      const result = await loaded();
      model = result.model;
      const { client } = result;
      model.notebookPath = A;
      model.notebookPath = B;
      const [forA, forB] = client.projectCalls;
      forB.reply.resolve(projectOf(B, makeProject({ name: 'bee' })));
      await flush();
      forA.reply.resolve(projectOf(A, makeProject({ name: 'ay' })));
      await flush();
      expect(model.project.path).toBe(B);
      expect(model.project.response?.project?.name).toBe('bee');

      // Nor an older answer for the same notebook after a newer one.
      const first = model.loadProject();
      const second = model.loadProject();
      client.projectCalls[3].reply.resolve(projectOf(B, null));
      await second;
      client.projectCalls[2].reply.resolve(
        projectOf(B, makeProject({ name: 'stale' }))
      );
      await first;
      expect(model.project.response?.project).toBeNull();

      // Nor one that arrives after the notebook closed.
      void model.loadProject();
      model.notebookPath = null;
      client.lastProject.resolve(projectOf(B, makeProject()));
      await flush();
      expect(model.project).toEqual({
        path: null,
        status: 'idle',
        response: null,
        error: ''
      });
    });

    it('keeps a failure as a string', async () => {
      const result = await loaded();
      model = result.model;
      model.notebookPath = 'gone/x.ipynb';
      result.client.lastProject.reject(
        new RequestError({
          message: "no folder 'gone' under the server root",
          status: 404,
          url: ''
        })
      );
      await flush();
      expect(model.project.status).toBe('error');
      expect(model.project.error).toBe(
        "no folder 'gone' under the server root"
      );
      expect(model.project.response).toBeNull();
      // A project 404 is not a missing server extension.
      expect(model.status).toBe('loaded');
    });
  });

  describe('kernelsChanged', () => {
    const torch = makeEnv({ name: 'torch' });
    const jax = makeEnv({ name: 'jax' });

    async function relist(
      client: FakeClient,
      envs: ReturnType<typeof makeEnv>[]
    ): Promise<void> {
      const done = model?.refresh();
      client.lastList.resolve(listing(envs));
      await done;
    }

    it('fires only when environments or their kernel names change', async () => {
      const setupResult = setup();
      model = setupResult.model;
      const { client } = setupResult;
      let fired = 0;
      model.kernelsChanged.connect(() => fired++);

      // The first listing has nothing to differ from.
      await relist(client, [torch, jax]);
      expect(fired).toBe(0);

      // Same set, other order and other facts: no change.
      await relist(client, [
        makeEnv({
          name: 'jax',
          revision: 'r9',
          package_counts: { conda: 1, pip: 0 }
        }),
        torch
      ]);
      expect(fired).toBe(0);

      // A new environment.
      await relist(client, [torch, jax, makeEnv({ name: 'new' })]);
      expect(fired).toBe(1);

      // A kernel added to one.
      await relist(client, [
        torch,
        makeEnv({
          name: 'jax',
          kernels: [
            ...jax.kernels,
            { name: 'mine', display_name: 'Mine', language: 'python' }
          ]
        }),
        makeEnv({ name: 'new' })
      ]);
      expect(fired).toBe(2);

      // An environment removed.
      await relist(client, [torch]);
      expect(fired).toBe(3);

      // A failed listing changes nothing.
      const done = model.refresh();
      client.lastList.reject(
        new RequestError({ message: 'boom', status: 500, url: '' })
      );
      await done;
      await relist(client, [torch]);
      expect(fired).toBe(3);
    });

    it('reloads the project of the current notebook when they change', async () => {
      const result = await loaded([torch]);
      model = result.model;
      const { client } = result;
      model.notebookPath = 'p/x.ipynb';
      client.lastProject.resolve(projectOf('p/x.ipynb', null));
      await flush();
      expect(client.projectCalls).toHaveLength(1);

      const done = model.refresh();
      expect(client.projectCalls).toHaveLength(2);
      client.lastList.resolve(listing([torch, makeEnv({ name: 'runnable' })]));
      await flush();
      // The new environment may resolve the project: ask again, and let
      // that newer answer win over the refresh's.
      expect(client.projectCalls).toHaveLength(3);
      client.projectCalls[2].reply.resolve(
        projectOf('p/x.ipynb', makeProject())
      );
      client.projectCalls[1].reply.resolve(projectOf('p/x.ipynb', null));
      await done;
      expect(model.project.response?.project?.name).toBe('runnable');
    });
  });

  describe('reveal', () => {
    it('opens the environment, clears a filter that hides it, and waits for the list', async () => {
      const result = await loaded();
      model = result.model;
      model.filter = 'torch';
      model.reveal('id-jax');
      expect(model.expandedId).toBe('id-jax');
      expect(model.filter).toBe('');
      expect(model.revealId).toBe('id-jax');
      model.revealDone('id-torch');
      expect(model.revealId).toBe('id-jax');
      model.revealDone('id-jax');
      expect(model.revealId).toBeNull();
    });

    it('forgets a reveal of an environment that is gone', async () => {
      const result = await loaded();
      model = result.model;
      model.reveal('id-jax');
      const done = model.refresh();
      result.client.lastPackages.resolve(packagesOf('id-jax', []));
      result.client.lastList.resolve(listing([makeEnv({ name: 'torch' })]));
      await done;
      expect(model.revealId).toBeNull();
      expect(model.expandedId).toBeNull();
    });
  });

  describe('polling', () => {
    afterEach(() => {
      jest.useRealTimers();
    });

    it('refreshes every refreshInterval seconds, and not at 0', async () => {
      jest.useFakeTimers();
      const client = new FakeClient();
      model = new EnvironmentsModel({ client, refreshInterval: 5 });
      model.panelVisible = true;
      const done = model.ensureLoaded();
      client.lastList.resolve(listing([]));
      await done;
      expect(client.listCalls).toHaveLength(1);

      await jest.advanceTimersByTimeAsync(5100);
      expect(client.listCalls).toHaveLength(2);
      client.lastList.resolve(listing([makeEnv()]));
      await flush();
      expect(model.environments).toHaveLength(1);

      model.refreshInterval = 0;
      await jest.advanceTimersByTimeAsync(60000);
      expect(client.listCalls).toHaveLength(2);
    });

    it('rests while the panel is collapsed', async () => {
      jest.useFakeTimers();
      const client = new FakeClient();
      model = new EnvironmentsModel({ client, refreshInterval: 5 });
      model.panelVisible = true;
      const done = model.ensureLoaded();
      client.lastList.resolve(listing([]));
      await done;
      model.panelVisible = false;
      await jest.advanceTimersByTimeAsync(30000);
      expect(client.listCalls).toHaveLength(1);
      model.panelVisible = true;
      await jest.advanceTimersByTimeAsync(5100);
      expect(client.listCalls).toHaveLength(2);
    });
  });

  it('disposes once', () => {
    const { model: disposable } = setup();
    disposable.dispose();
    disposable.dispose();
    expect(disposable.isDisposed).toBe(true);
  });
});

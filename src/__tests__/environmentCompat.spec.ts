import type { PackageRecord } from '../environments/api';
import type { SystemFacts } from '../gpu/api';
import { CompatModel } from '../compat/compatModel';
import { EnvironmentsModel } from '../environments/model';
import { RequestError } from '../core/request';
import {
  analysisWith,
  FakeClient,
  flush,
  listing,
  makeEnv,
  makePackage,
  makeSystem,
  NO_GPU,
  packagesOf,
  probeOk
} from './fixtures';

interface ISetup {
  client: FakeClient;
  environments: EnvironmentsModel;
  compat: CompatModel;
  analyze: jest.Mock;
}

const disposables: { dispose(): void }[] = [];

afterEach(() => {
  while (disposables.length) {
    disposables.pop()?.dispose();
  }
});

/**
 * A compatibility model over an environments model; `analyze` records what
 * it was asked and answers `ok` with one verdict naming the first package.
 */
function setup(concurrency?: number): ISetup {
  const client = new FakeClient();
  const environments = new EnvironmentsModel({ client, refreshInterval: 0 });
  const analyze = jest.fn((records: PackageRecord[], facts: SystemFacts) =>
    analysisWith(facts.gpu.available ? 'ok' : 'warning', records)
  );
  const compat = new CompatModel({
    client,
    environments,
    analyze,
    concurrency
  });
  disposables.push(compat, environments);
  return { client, environments, compat, analyze };
}

/**
 * Answer the latest listing with `envs`.
 */
async function list(
  { client, environments }: ISetup,
  envs = [makeEnv({ name: 'a' }), makeEnv({ name: 'b' })]
): Promise<void> {
  const done = environments.refresh();
  client.lastList.resolve(listing(envs));
  await done;
  await flush();
}

/**
 * Answer every package request still open for `id`.
 */
async function answerPackages(
  client: FakeClient,
  id: string,
  names = ['numpy']
): Promise<void> {
  for (const call of client.packageCalls.filter(c => c.id === id)) {
    call.reply.resolve(
      packagesOf(
        id,
        names.map(name => makePackage({ name }))
      )
    );
  }
  await flush();
}

describe('CompatModel', () => {
  it('asks nothing until loaded, then reads the system facts once', async () => {
    const s = setup();
    await list(s);
    expect(s.client.systemCalls).toHaveLength(0);
    expect(s.client.packageCalls).toHaveLength(0);
    expect(s.compat.analysisOf('id-a')).toBeUndefined();
    expect(s.compat.system.status).toBe('idle');
    // Refreshing before the panel was shown reads nothing either.
    await s.compat.refresh();
    expect(s.client.systemCalls).toHaveLength(0);

    const done = s.compat.ensureLoaded();
    expect(s.compat.system.status).toBe('loading');
    s.client.lastSystem.resolve(makeSystem());
    await done;
    expect(s.compat.system.status).toBe('loaded');
    expect(s.compat.system.facts?.gpu.driver_version).toBe('525.60.13');
    await s.compat.ensureLoaded();
    expect(s.client.systemCalls).toHaveLength(1);
  });

  it('judges every listed environment once its packages and the facts are in', async () => {
    const s = setup();
    await list(s);
    void s.compat.ensureLoaded();
    expect(s.compat.analysisOf('id-a')?.status).toBe('loading');
    await answerPackages(s.client, 'id-a', ['torch']);
    // Packages without facts: still loading, nothing judged yet.
    expect(s.compat.analysisOf('id-a')?.status).toBe('loading');
    expect(s.analyze).not.toHaveBeenCalled();

    s.client.lastSystem.resolve(makeSystem());
    await flush();
    const a = s.compat.analysisOf('id-a');
    expect(a?.status).toBe('done');
    expect(a?.analysis?.status).toBe('ok');
    expect(a?.revision).toBe('r1');
    expect(s.analyze).toHaveBeenCalledTimes(1);
    expect(
      s.analyze.mock.calls[0][0].map((r: PackageRecord) => r.name)
    ).toEqual(['torch']);

    await answerPackages(s.client, 'id-b');
    expect(s.compat.analysisOf('id-b')?.status).toBe('done');
    expect(s.analyze).toHaveBeenCalledTimes(2);
  });

  it('reads at most `concurrency` package lists at once', async () => {
    const s = setup(2);
    const envs = ['a', 'b', 'c', 'd', 'e'].map(name => makeEnv({ name }));
    await list(s, envs);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await flush();
    expect(s.client.packageCalls.map(c => c.id)).toEqual(['id-a', 'id-b']);

    await answerPackages(s.client, 'id-b');
    expect(s.client.packageCalls.map(c => c.id)).toEqual([
      'id-a',
      'id-b',
      'id-c'
    ]);
    // A failure frees its slot too.
    s.client.packageCalls[0].reply.reject(new Error('boom'));
    await flush();
    expect(s.client.packageCalls).toHaveLength(4);
    expect(s.compat.analysisOf('id-a')?.status).toBe('error');
    expect(s.compat.analysisOf('id-a')?.error).toContain('boom');
    await answerPackages(s.client, 'id-c');
    await answerPackages(s.client, 'id-d');
    await answerPackages(s.client, 'id-e');
    expect(s.client.packageCalls).toHaveLength(5);
    expect(envs.map(env => s.compat.analysisOf(env.id)?.status)).toEqual([
      'error',
      'done',
      'done',
      'done',
      'done'
    ]);
  });

  it('uses three at a time by default', async () => {
    const s = setup();
    const envs = ['a', 'b', 'c', 'd', 'e'].map(name => makeEnv({ name }));
    await list(s, envs);
    void s.compat.ensureLoaded();
    await flush();
    expect(s.client.packageCalls).toHaveLength(3);
  });

  it('reads the open environment first, through the environments model', async () => {
    const s = setup(1);
    const envs = ['a', 'b', 'c'].map(name => makeEnv({ name }));
    await list(s, envs);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await flush();
    expect(s.client.packageCalls.map(c => c.id)).toEqual(['id-a']);
    s.environments.expandedId = 'id-c';
    await flush();
    // The environments model asks for c's packages itself; we wait for its answer instead of asking again.
    expect(s.client.packageCalls.map(c => c.id)).toEqual(['id-a', 'id-c']);
    await answerPackages(s.client, 'id-a');
    expect(s.client.packageCalls.map(c => c.id)).toEqual([
      'id-a',
      'id-c',
      'id-b'
    ]);
    await answerPackages(s.client, 'id-c', ['torch']);
    expect(s.compat.analysisOf('id-c')?.status).toBe('done');
    expect(
      s.client.packageCalls.filter(call => call.id === 'id-c')
    ).toHaveLength(1);
  });

  it("takes the open environment's packages from the environments model when it has them", async () => {
    const s = setup();
    await list(s, [makeEnv({ name: 'a' })]);
    s.environments.expandedId = 'id-a';
    await answerPackages(s.client, 'id-a', ['torch']);
    expect(s.environments.packagesOf('id-a')?.status).toBe('loaded');
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await flush();
    expect(s.client.packageCalls).toHaveLength(1);
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');
    expect(
      s.analyze.mock.calls[0][0].map((r: PackageRecord) => r.name)
    ).toEqual(['torch']);
  });

  it('reads the packages itself when the environments model could not', async () => {
    const s = setup();
    await list(s, [makeEnv({ name: 'a' })]);
    s.environments.expandedId = 'id-a';
    await flush();
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await flush();
    // The environments model is reading a's packages: we wait for them.
    expect(s.client.packageCalls.map(c => c.id)).toEqual(['id-a']);
    s.client.packageCalls[0].reply.reject(new Error('busy'));
    await flush();
    // Its read failed: ours goes out.
    expect(s.client.packageCalls.map(c => c.id)).toEqual(['id-a', 'id-a']);
    s.client.packageCalls[1].reply.resolve(
      packagesOf('id-a', [makePackage({ name: 'torch' })])
    );
    await flush();
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');
  });

  it('names the environment to the engine, for commands in fixes', async () => {
    const s = setup();
    await list(s, [makeEnv({ name: 'a' })]);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await answerPackages(s.client, 'id-a');
    expect(s.analyze.mock.calls[0][2]).toEqual({
      prefix: '/opt/conda/envs/a'
    });
  });

  it('does not read a failed environment again on every listing, only when its revision moves or on refresh', async () => {
    const s = setup();
    await list(s, [makeEnv({ name: 'a' })]);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await flush();
    s.client.packageCalls[0].reply.reject(new Error('permission denied'));
    await flush();
    expect(s.compat.analysisOf('id-a')?.status).toBe('error');

    // The background poll lists the same revision again: nothing is read.
    await list(s, [makeEnv({ name: 'a' })]);
    await list(s, [makeEnv({ name: 'a' })]);
    expect(s.client.packageCalls).toHaveLength(1);
    expect(s.compat.analysisOf('id-a')?.status).toBe('error');

    // A new revision is worth a try.
    await list(s, [makeEnv({ name: 'a', revision: 'r2' })]);
    expect(s.client.packageCalls).toHaveLength(2);
    s.client.packageCalls[1].reply.reject(new Error('permission denied'));
    await flush();
    await list(s, [makeEnv({ name: 'a', revision: 'r2' })]);
    expect(s.client.packageCalls).toHaveLength(2);

    // So is the user's refresh.
    const refreshed = s.compat.refresh();
    expect(s.client.packageCalls).toHaveLength(3);
    s.client.lastSystem.resolve(makeSystem());
    await refreshed;
    await answerPackages(s.client, 'id-a');
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');
  });

  it('keeps a judgement while the revision holds, and reads again when it moves', async () => {
    const s = setup();
    await list(s, [makeEnv({ name: 'a' })]);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await answerPackages(s.client, 'id-a');
    expect(s.client.packageCalls).toHaveLength(1);
    const first = s.compat.analysisOf('id-a');

    await list(s, [makeEnv({ name: 'a' })]);
    expect(s.client.packageCalls).toHaveLength(1);
    expect(s.compat.analysisOf('id-a')).toBe(first);

    await list(s, [makeEnv({ name: 'a', revision: 'r2' })]);
    expect(s.client.packageCalls).toHaveLength(2);
    const reloading = s.compat.analysisOf('id-a');
    expect(reloading?.status).toBe('loading');
    expect(reloading?.revision).toBe('r2');
    // The old verdicts stay until the new ones come.
    expect(reloading?.analysis).toBe(first?.analysis);
    await answerPackages(s.client, 'id-a', ['torch']);
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');
    expect(s.compat.analysisOf('id-a')?.revision).toBe('r2');
  });

  it('ignores packages read for a revision that moved meanwhile', async () => {
    const s = setup();
    await list(s, [makeEnv({ name: 'a' })]);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await flush();
    const old = s.client.packageCalls[0];

    await list(s, [makeEnv({ name: 'a', revision: 'r2' })]);
    old.reply.resolve(packagesOf('id-a', [makePackage({ name: 'stale' })]));
    await flush();
    expect(s.analyze).not.toHaveBeenCalled();
    expect(s.compat.analysisOf('id-a')?.status).toBe('loading');

    // It reads the new revision, and that answer counts.
    const fresh = s.client.packageCalls[s.client.packageCalls.length - 1];
    expect(fresh).not.toBe(old);
    fresh.reply.resolve(packagesOf('id-a', [makePackage({ name: 'fresh' })]));
    await flush();
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');
    expect(
      s.analyze.mock.calls[0][0].map((r: PackageRecord) => r.name)
    ).toEqual(['fresh']);
  });

  it('forgets environments that leave the listing, late answers included', async () => {
    const s = setup();
    await list(s);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await answerPackages(s.client, 'id-a');
    await list(s, [makeEnv({ name: 'a' })]);
    expect(s.compat.analysisOf('id-b')).toBeUndefined();
    await answerPackages(s.client, 'id-b');
    expect(s.compat.analysisOf('id-b')).toBeUndefined();
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');
  });

  it('judges everything again when new facts arrive, without reading packages', async () => {
    const s = setup();
    await list(s);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await answerPackages(s.client, 'id-a');
    await answerPackages(s.client, 'id-b');
    expect(s.compat.analysisOf('id-a')?.analysis?.status).toBe('ok');
    expect(s.analyze).toHaveBeenCalledTimes(2);

    const refreshed = s.compat.refresh();
    // The old facts stay in use while the new ones load.
    expect(s.compat.system.status).toBe('loading');
    expect(s.compat.system.facts?.gpu.available).toBe(true);
    s.client.lastSystem.resolve(makeSystem(NO_GPU));
    await refreshed;
    expect(s.client.packageCalls).toHaveLength(2);
    expect(s.analyze).toHaveBeenCalledTimes(4);
    expect(s.compat.analysisOf('id-a')?.analysis?.status).toBe('warning');
    expect(s.compat.analysisOf('id-b')?.analysis?.status).toBe('warning');
  });

  it('keeps the newest facts when an older answer comes back last', async () => {
    const s = setup();
    void s.compat.ensureLoaded();
    const second = s.compat.loadSystem();
    s.client.systemCalls[1].resolve(makeSystem(NO_GPU));
    await second;
    s.client.systemCalls[0].resolve(makeSystem());
    await flush();
    expect(s.compat.system.facts?.gpu.available).toBe(false);
  });

  it('says why when the facts cannot be read, and keeps judging by old ones', async () => {
    const s = setup();
    await list(s, [makeEnv({ name: 'a' })]);
    void s.compat.ensureLoaded();
    s.client.lastSystem.reject(
      new RequestError({ message: 'Forbidden', status: 403, url: '' })
    );
    await answerPackages(s.client, 'id-a');
    expect(s.compat.system.status).toBe('error');
    expect(s.compat.system.error).toContain('Forbidden');
    // No facts at all: the environment cannot be judged, and says why.
    const a = s.compat.analysisOf('id-a');
    expect(a?.status).toBe('error');
    expect(a?.error).toContain('Forbidden');

    const ok = s.compat.refresh();
    s.client.lastSystem.resolve(makeSystem());
    await ok;
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');

    const failed = s.compat.refresh();
    s.client.lastSystem.reject(new Error('offline'));
    await failed;
    expect(s.compat.system.status).toBe('error');
    expect(s.compat.system.facts?.gpu.available).toBe(true);
    expect(s.compat.analysisOf('id-a')?.status).toBe('done');
  });

  it('turns an engine failure into an error for that environment', async () => {
    const s = setup();
    s.analyze.mockImplementation(() => {
      throw new Error('unexpected record');
    });
    await list(s, [makeEnv({ name: 'a' })]);
    void s.compat.ensureLoaded();
    s.client.lastSystem.resolve(makeSystem());
    await answerPackages(s.client, 'id-a');
    const a = s.compat.analysisOf('id-a');
    expect(a?.status).toBe('error');
    expect(a?.error).toContain('unexpected record');
  });

  describe('probe', () => {
    it('goes from idle to running to done', async () => {
      const s = setup();
      expect(s.compat.probeOf('id-a').status).toBe('idle');
      const done = s.compat.probe('id-a');
      expect(s.compat.probeOf('id-a').status).toBe('running');
      expect(s.client.probeCalls.map(c => c.id)).toEqual(['id-a']);
      s.client.probeCalls[0].reply.resolve(probeOk('id-a'));
      await done;
      const state = s.compat.probeOf('id-a');
      expect(state.status).toBe('done');
      expect(state.response?.status).toBe('ok');
      expect(s.compat.probeOf('id-b').status).toBe('idle');
    });

    it('keeps the error of a failed request as a string', async () => {
      const s = setup();
      const done = s.compat.probe('id-a');
      s.client.probeCalls[0].reply.reject(
        new RequestError({
          message: 'running code in an environment is not allowed',
          status: 403,
          url: ''
        })
      );
      await done;
      expect(s.compat.probeOf('id-a')).toEqual({
        status: 'error',
        response: null,
        error: 'running code in an environment is not allowed'
      });
    });

    it('lets the newest probe of an environment win', async () => {
      const s = setup();
      const first = s.compat.probe('id-a');
      const second = s.compat.probe('id-a');
      s.client.probeCalls[1].reply.resolve(probeOk('id-a'));
      await second;
      s.client.probeCalls[0].reply.reject(new Error('late'));
      await first;
      expect(s.compat.probeOf('id-a').status).toBe('done');
    });

    it("forgets a probe once the environment's revision moves", async () => {
      const s = setup();
      await list(s, [makeEnv({ name: 'a' }), makeEnv({ name: 'b' })]);
      void s.compat.ensureLoaded();
      const done = s.compat.probe('id-a');
      const other = s.compat.probe('id-b');
      s.client.probeCalls[0].reply.resolve(probeOk('id-a'));
      s.client.probeCalls[1].reply.resolve(probeOk('id-b'));
      await Promise.all([done, other]);
      expect(s.compat.probeOf('id-a').status).toBe('done');

      await list(s, [makeEnv({ name: 'a' }), makeEnv({ name: 'b' })]);
      expect(s.compat.probeOf('id-a').status).toBe('done');

      await list(s, [
        makeEnv({ name: 'a', revision: 'r2' }),
        makeEnv({ name: 'b' })
      ]);
      expect(s.compat.probeOf('id-a').status).toBe('idle');
      expect(s.compat.probeOf('id-b').status).toBe('done');
    });

    it('ignores an answer that comes after dispose', async () => {
      const s = setup();
      const done = s.compat.probe('id-a');
      s.compat.dispose();
      s.client.probeCalls[0].reply.resolve(probeOk('id-a'));
      await done;
      expect(s.compat.isDisposed).toBe(true);
    });
  });

  it('stops following the listing when disposed', async () => {
    const s = setup();
    void s.compat.ensureLoaded();
    s.compat.dispose();
    s.compat.dispose();
    await list(s);
    expect(s.client.packageCalls).toHaveLength(0);
  });
});

import { ServerConnection } from '@jupyterlab/services';

import { CondaEnvsClient } from '../client';
import { requestAPI, RequestError } from '../core/request';
import {
  listing,
  makeEnv,
  makePackage,
  makeProject,
  makeSystem,
  NO_GPU,
  packagesOf,
  probeOk,
  projectOf
} from './fixtures';

type FetchFn = ServerConnection.ISettings['fetch'];

/**
 * Server settings for a server under a non-default base URL whose `fetch`
 * records the requests and answers with `respond`.
 */
function fakeServer(respond: (url: string) => Promise<Response>): {
  settings: ServerConnection.ISettings;
  urls: string[];
} {
  const urls: string[] = [];
  const fetch: FetchFn = (input: RequestInfo) => {
    const url = typeof input === 'string' ? input : input.url;
    // Drop the cache buster ServerConnection appends (`?<timestamp>`, or
    // `&<timestamp>` after a query).
    urls.push(url.replace(/[?&]\d+$/, ''));
    return respond(url);
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/a%40b/',
    fetch
  });
  return { settings, urls };
}

function json(body: unknown, status = 200): Promise<Response> {
  return Promise.resolve(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' }
    })
  );
}

describe('requestAPI', () => {
  it('joins the base URL, the namespace and the route', async () => {
    const { settings, urls } = fakeServer(() => json({ ok: true }));
    const data = await requestAPI<{ ok: boolean }>(
      'environments',
      {},
      settings
    );
    expect(data).toEqual({ ok: true });
    expect(urls).toEqual([
      'http://localhost:8888/a%40b/conda-envs/environments'
    ]);
  });

  it('throws a RequestError with the status and the JSON message', async () => {
    const { settings } = fakeServer(() =>
      json({ message: 'unknown environment abc' }, 404)
    );
    const error = await requestAPI('environments/abc/packages', {}, settings)
      .then(() => null)
      .catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RequestError);
    const requestError = error as RequestError;
    expect(requestError.status).toBe(404);
    expect(requestError.message).toBe('unknown environment abc');
    expect(requestError.isNetworkError).toBe(false);
    expect(requestError.url).toBe(
      'http://localhost:8888/a%40b/conda-envs/environments/abc/packages'
    );
  });

  it('describes a non-JSON error page by its status', async () => {
    const { settings } = fakeServer(() =>
      Promise.resolve(
        new Response('<html>404: Not Found</html>', {
          status: 404,
          statusText: 'Not Found'
        })
      )
    );
    await expect(requestAPI('environments', {}, settings)).rejects.toEqual(
      expect.objectContaining({ status: 404, message: '404 Not Found' })
    );
  });

  it('turns a network failure into status 0', async () => {
    const { settings } = fakeServer(() =>
      Promise.reject(new TypeError('Failed to fetch'))
    );
    const error = await requestAPI('environments', {}, settings).catch(
      (reason: unknown) => reason
    );
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(0);
    expect((error as RequestError).isNetworkError).toBe(true);
    expect((error as RequestError).message).toBe('Failed to fetch');
  });

  it('rejects a successful answer that is not JSON', async () => {
    const { settings } = fakeServer(() =>
      Promise.resolve(new Response('not json', { status: 200 }))
    );
    await expect(requestAPI('environments', {}, settings)).rejects.toEqual(
      expect.objectContaining({ status: 200 })
    );
  });
});

describe('CondaEnvsClient', () => {
  it('lists environments from GET environments', async () => {
    const body = listing([makeEnv({ name: 'torch' })]);
    const { settings, urls } = fakeServer(() => json(body));
    const client = new CondaEnvsClient({ serverSettings: settings });
    const response = await client.listEnvironments();
    expect(response.environments[0].name).toBe('torch');
    expect(response.environments[0].package_counts).toEqual({
      conda: 120,
      pip: 7
    });
    expect(urls).toEqual([
      'http://localhost:8888/a%40b/conda-envs/environments'
    ]);
  });

  it('reads packages from GET environments/{id}/packages, id encoded', async () => {
    const body = packagesOf('a b', [makePackage({ name: 'numpy' })]);
    const { settings, urls } = fakeServer(() => json(body));
    const client = new CondaEnvsClient({ serverSettings: settings });
    const response = await client.getPackages('a b');
    expect(response.packages.map(pkg => pkg.name)).toEqual(['numpy']);
    expect(urls).toEqual([
      'http://localhost:8888/a%40b/conda-envs/environments/a%20b/packages'
    ]);
  });

  it('asks GET project with the notebook path as an encoded query', async () => {
    const path = 'projects/runnable project/notebooks/train #1&2?.ipynb';
    const body = projectOf(path, makeProject(), [
      {
        file: 'projects/environment.yml',
        name: 'ghost_env',
        reason: "no environment named 'ghost_env'"
      }
    ]);
    const { settings, urls } = fakeServer(() => json(body));
    const client = new CondaEnvsClient({ serverSettings: settings });
    const response = await client.getProject(path);
    expect(response.project?.kernel).toBe('conda-env-runnable-py');
    expect(response.project?.source).toBe('environment.yml');
    expect(response.unresolved[0].name).toBe('ghost_env');
    expect(urls).toEqual([
      'http://localhost:8888/a%40b/conda-envs/project?path=' +
        'projects%2Frunnable%20project%2Fnotebooks%2Ftrain%20%231%262%3F.ipynb'
    ]);
    const query = new URL(urls[0]).searchParams;
    expect(query.get('path')).toBe(path);
  });

  it('keeps dot segments of a project path inside the query', async () => {
    const { settings, urls } = fakeServer(() =>
      json(projectOf('../x.ipynb', null))
    );
    const client = new CondaEnvsClient({ serverSettings: settings });
    await client.getProject('../x.ipynb');
    expect(urls).toEqual([
      'http://localhost:8888/a%40b/conda-envs/project?path=..%2Fx.ipynb'
    ]);
  });

  it.each([
    [400, 'the path must be relative to the server root'],
    [404, "no folder 'gone' under the server root"]
  ])(
    'turns a %i from GET project into a RequestError with its message',
    async (status, message) => {
      const { settings } = fakeServer(() => json({ message }, status));
      const client = new CondaEnvsClient({ serverSettings: settings });
      const error = await client
        .getProject('gone/x.ipynb')
        .catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(RequestError);
      expect((error as RequestError).status).toBe(status);
      expect((error as RequestError).message).toBe(message);
    }
  );

  it('reads this machine from GET system', async () => {
    const body = makeSystem(NO_GPU, { conda_override_cuda: '12.4' });
    const { settings, urls } = fakeServer(() => json(body));
    const client = new CondaEnvsClient({ serverSettings: settings });
    const facts = await client.getSystem();
    expect(facts.gpu.available).toBe(false);
    expect(facts.gpu.reason).toContain('no NVIDIA driver');
    expect(facts.conda_override_cuda).toBe('12.4');
    expect(urls).toEqual(['http://localhost:8888/a%40b/conda-envs/system']);
  });

  it('probes with POST environments/{id}/probe and an empty JSON body', async () => {
    const requests: Request[] = [];
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: (input: RequestInfo) => {
        requests.push(input as Request);
        return json(
          probeOk('a b', {
            torch: {
              version: '2.1.0+cu118',
              cuda: '11.8',
              available: false,
              device_count: 0
            },
            tensorflow: { error: 'ImportError: libcudart.so.11.0' }
          })
        );
      }
    });
    const client = new CondaEnvsClient({ serverSettings: settings });
    const response = await client.probe('a b');
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe('POST');
    expect(requests[0].url).toMatch(
      /^http:\/\/localhost:8888\/conda-envs\/environments\/a%20b\/probe/
    );
    expect(await requests[0].text()).toBe('{}');
    expect(response.status).toBe('ok');
    if (response.status === 'ok') {
      expect(response.result.frameworks.torch).toEqual(
        expect.objectContaining({ cuda: '11.8', available: false })
      );
      expect(response.result.frameworks.tensorflow).toEqual({
        error: 'ImportError: libcudart.so.11.0'
      });
    }
  });

  it('turns a 409 from the probe (no interpreter) into a RequestError', async () => {
    const message =
      'this environment has no Python interpreter (/x/bin/python)';
    const { settings } = fakeServer(() => json({ message }, 409));
    const client = new CondaEnvsClient({ serverSettings: settings });
    const error = await client.probe('x').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(RequestError);
    expect((error as RequestError).status).toBe(409);
    expect((error as RequestError).message).toBe(message);
  });
});

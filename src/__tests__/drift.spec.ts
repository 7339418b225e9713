import { Signal } from '@lumino/signaling';
import type { NotebookPanel } from '@jupyterlab/notebook';

import type { CondaEnvsClient } from '../client';
import type { EnvironmentSummary, PackageRecord } from '../environments/api';
import type { SnapshotResponse, SpecFileResponse } from '../export/api';
import { DriftModel } from '../export/drift/driftModel';
import {
  readSnapshotRecord,
  snapshotMetadata,
  withSnapshot
} from '../export/drift/snapshotMetadata';
import { fileNameFor } from '../export/exportDialog';
import type { EnvironmentsModel } from '../environments/model';
import { RequestError } from '../core/request';
import { makeEnv, makePackage, packagesOf } from './fixtures';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function record(
  overrides: Record<string, unknown> = {}
): Record<string, unknown> {
  return {
    snapshot: {
      environment: 'torch',
      mode: 'history',
      file: 'train.environment.yml',
      python: '3.11.9',
      digest: DIGEST,
      packages: 2,
      created: '2026-12-01T10:00:00Z',
      ...overrides
    }
  };
}

describe('snapshot metadata', () => {
  it('records the file relative to the notebook, and keeps other keys', () => {
    const response: SnapshotResponse = {
      environment: 'torch',
      environment_id: 'id-torch',
      prefix: '/opt/conda/envs/torch',
      mode: 'full',
      python: '3.11.9',
      digest: DIGEST,
      packages: 3,
      created: '2026-12-01T10:00:00Z',
      file: 'proj/notebooks/train.environment.yml',
      replaced: false
    };
    const meta = snapshotMetadata(response);
    expect(meta.file).toBe('train.environment.yml');
    expect(meta).not.toHaveProperty('prefix');
    const value = withSnapshot({ other: 1, snapshot: { old: true } }, meta);
    expect(value).toEqual({ other: 1, snapshot: meta });
    expect(readSnapshotRecord(value)).toEqual(meta);
  });

  it.each([
    ['no metadata', undefined],
    ['not an object', 'x'],
    ['no snapshot', { other: 1 }],
    ['a path, not a file name', record({ file: '../../etc/passwd' })],
    ['a backslash path', record({ file: '..\\x.yml' })],
    ['an unknown mode', record({ mode: 'yaml' })],
    ['no digest', record({ digest: 7 })],
    ['no environment', record({ environment: null })]
  ])('ignores a malformed record: %s', (_label, value) => {
    expect(readSnapshotRecord(value)).toBeNull();
  });

  it('names export files after the environment', () => {
    expect(fileNameFor(makeEnv({ name: 'llm_train' }), 'history')).toBe(
      'llm_train.environment.yml'
    );
    expect(fileNameFor(makeEnv({ name: 'llm_train' }), 'explicit')).toBe(
      'llm_train.explicit.txt'
    );
    expect(fileNameFor(makeEnv({ name: 'llm_train' }), 'requirements')).toBe(
      'llm_train.requirements.txt'
    );
    expect(fileNameFor(makeEnv({ name: '/home/u/proj/env' }), 'full')).toBe(
      'env.environment.yml'
    );
    expect(fileNameFor(makeEnv({ name: 'ünï code' }), 'full')).toBe(
      'ünï_code.environment.yml'
    );
  });
});

/**
 * The parts of a notebook panel the drift model reads.
 */
class FakeNotebook {
  constructor(path: string, metadata: unknown) {
    this.context = { localPath: path, pathChanged: new Signal(this) };
    this._metadata = metadata;
    this.model = {
      metadataChanged: new Signal(this),
      getMetadata: (key: string) =>
        key === 'conda_envs' ? this._metadata : undefined
    };
  }

  setMetadata(value: unknown): void {
    this._metadata = value;
    this.model.metadataChanged.emit(undefined);
  }

  readonly context: {
    localPath: string;
    pathChanged: Signal<FakeNotebook, string>;
  };
  readonly model: {
    metadataChanged: Signal<FakeNotebook, undefined>;
    getMetadata: (key: string) => unknown;
  };
  private _metadata: unknown;
}

class FakeEnvironments {
  readonly stateChanged = new Signal<this, void>(this);
  environments: EnvironmentSummary[] = [makeEnv({ name: 'torch' })];
  activeKernelName: string | null = 'conda-env-torch-py';
}

function setup(options: {
  packages: PackageRecord[];
  digest: string;
  spec?: SpecFileResponse | Error;
}): {
  model: DriftModel;
  environments: FakeEnvironments;
  client: { getPackages: jest.Mock; getSpecFile: jest.Mock };
} {
  const client = {
    getPackages: jest.fn((id: string) =>
      Promise.resolve({
        ...packagesOf(id, options.packages),
        digest: options.digest
      })
    ),
    getSpecFile: jest.fn(() =>
      options.spec instanceof Error
        ? Promise.reject(options.spec)
        : Promise.resolve(options.spec)
    )
  };
  const environments = new FakeEnvironments();
  const model = new DriftModel({
    client: client as unknown as CondaEnvsClient,
    environments: environments as unknown as EnvironmentsModel
  });
  return { model, environments, client };
}

async function settled(model: DriftModel): Promise<DriftModel.State> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
  return model.state;
}

function specOf(packages: PackageRecord[]): SpecFileResponse {
  return {
    path: 'proj/train.environment.yml',
    spec: {
      kind: 'lock',
      name: 'torch',
      channels: [],
      complete: true,
      platform: null,
      variables: {},
      problems: [],
      options: [],
      entries: packages.map(p => ({
        source: p.source,
        name: p.name,
        normalized_name: p.normalized_name,
        version: p.version,
        fuzzy: false,
        build: p.source === 'conda' ? p.build : null,
        channel: null,
        spec: `${p.name}=${p.version}`,
        constraint: null
      }))
    }
  };
}

describe('DriftModel', () => {
  const numpy = makePackage({ name: 'numpy', version: '1.24.3' });
  const torch = makePackage({ name: 'pytorch', version: '2.1.0' });

  it('says nothing for a notebook without a snapshot', async () => {
    const { model, client } = setup({ packages: [numpy], digest: DIGEST });
    model.notebook = new FakeNotebook(
      'proj/train.ipynb',
      undefined
    ) as unknown as NotebookPanel;
    expect((await settled(model)).status).toBe('none');
    expect(client.getPackages).not.toHaveBeenCalled();
  });

  it('matches when the digests agree, without reading the file', async () => {
    const { model, client } = setup({ packages: [numpy], digest: DIGEST });
    model.notebook = new FakeNotebook(
      'proj/train.ipynb',
      record()
    ) as unknown as NotebookPanel;
    const state = await settled(model);
    expect(state.status).toBe('same');
    expect(client.getSpecFile).not.toHaveBeenCalled();
  });

  it('reads the snapshot file beside the notebook and diffs when they differ', async () => {
    const { model, client } = setup({
      packages: [makePackage({ name: 'numpy', version: '1.26.4' }), torch],
      digest: `sha256:${'b'.repeat(64)}`,
      spec: specOf([numpy])
    });
    model.notebook = new FakeNotebook(
      'proj/train.ipynb',
      record()
    ) as unknown as NotebookPanel;
    const state = await settled(model);
    expect(client.getSpecFile).toHaveBeenCalledWith(
      'proj/train.environment.yml'
    );
    expect(state.status).toBe('changed');
    if (state.status !== 'changed' || !state.diff) {
      throw new Error('expected a diff');
    }
    expect(state.diff.added.map(p => p.name)).toEqual(['pytorch']);
    expect(
      state.diff.changed.map(c => [c.name, c.from.version, c.to.version])
    ).toEqual([['numpy', '1.24.3', '1.26.4']]);
  });

  it('still says "changed" when the snapshot file is gone', async () => {
    const { model } = setup({
      packages: [numpy],
      digest: `sha256:${'b'.repeat(64)}`,
      spec: new RequestError({ message: 'No such file', status: 404, url: 'x' })
    });
    model.notebook = new FakeNotebook(
      'train.ipynb',
      record()
    ) as unknown as NotebookPanel;
    const state = await settled(model);
    expect(state.status).toBe('changed');
    if (state.status === 'changed') {
      expect(state.diff).toBeNull();
      expect(state.fileError).toContain('No such file');
    }
  });

  it('explains a kernel outside any listed environment', async () => {
    const { model, environments } = setup({
      packages: [numpy],
      digest: DIGEST
    });
    environments.activeKernelName = 'python3';
    model.notebook = new FakeNotebook(
      'train.ipynb',
      record()
    ) as unknown as NotebookPanel;
    expect((await settled(model)).status).toBe('no-environment');
  });

  it('checks again when the metadata or the environment revision moves, not otherwise', async () => {
    const { model, environments, client } = setup({
      packages: [numpy],
      digest: DIGEST
    });
    const notebook = new FakeNotebook('train.ipynb', undefined);
    model.notebook = notebook as unknown as NotebookPanel;
    await settled(model);
    notebook.setMetadata(record());
    expect((await settled(model)).status).toBe('same');
    expect(client.getPackages).toHaveBeenCalledTimes(1);

    environments.stateChanged.emit();
    await settled(model);
    expect(client.getPackages).toHaveBeenCalledTimes(1);

    environments.environments = [makeEnv({ name: 'torch', revision: 'r2' })];
    environments.stateChanged.emit();
    await settled(model);
    expect(client.getPackages).toHaveBeenCalledTimes(2);

    model.notebook = null;
    expect((await settled(model)).status).toBe('none');
    model.dispose();
  });

  it('never shows an answer about the previous notebook', async () => {
    const { model, client } = setup({
      packages: [numpy],
      digest: `sha256:${'b'.repeat(64)}`,
      spec: specOf([numpy])
    });
    let answer: (value: unknown) => void = () => undefined;
    client.getPackages.mockImplementationOnce(
      () => new Promise(resolve => (answer = resolve))
    );
    model.notebook = new FakeNotebook(
      'a.ipynb',
      record()
    ) as unknown as NotebookPanel;
    await settled(model);
    expect(model.state.status).toBe('checking');
    // Another notebook, without a snapshot, becomes current meanwhile.
    model.notebook = new FakeNotebook(
      'b.ipynb',
      undefined
    ) as unknown as NotebookPanel;
    answer({ ...packagesOf('id-torch', [numpy]), digest: 'sha256:other' });
    expect((await settled(model)).status).toBe('none');
  });

  it('does not ask again on every listing refresh after an error', async () => {
    const { model, environments, client } = setup({
      packages: [numpy],
      digest: DIGEST
    });
    client.getPackages.mockImplementation(() =>
      Promise.reject(
        new RequestError({ message: 'boom', status: 500, url: 'x' })
      )
    );
    model.notebook = new FakeNotebook(
      'train.ipynb',
      record()
    ) as unknown as NotebookPanel;
    await settled(model);
    environments.stateChanged.emit();
    environments.stateChanged.emit();
    await settled(model);
    expect(client.getPackages).toHaveBeenCalledTimes(1);
    await model.recheck();
    expect(client.getPackages).toHaveBeenCalledTimes(2);
  });

  it('reports a failed package read as an error', async () => {
    const { model, client } = setup({ packages: [numpy], digest: DIGEST });
    client.getPackages.mockImplementation(() =>
      Promise.reject(
        new RequestError({ message: 'boom', status: 500, url: 'x' })
      )
    );
    model.notebook = new FakeNotebook(
      'train.ipynb',
      record()
    ) as unknown as NotebookPanel;
    const state = await settled(model);
    expect(state).toMatchObject({ status: 'error', message: 'boom' });
  });
});

import { ServerConnection } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';

import type {
  EnvironmentSummary,
  EnvironmentsResponse,
  PackageRecord,
  PackagesResponse,
  ProjectEnvironment,
  ProjectResponse
} from '../api';
import { CondaEnvsClient } from '../api';

/**
 * An environment summary as the server sends it, with test defaults.
 */
export function makeEnv(
  overrides: Partial<EnvironmentSummary> = {}
): EnvironmentSummary {
  const name = overrides.name ?? 'torch';
  return {
    id: `id-${name}`,
    name,
    prefix: `/opt/conda/envs/${name}`,
    kind: 'named',
    manager: 'conda',
    sources: ['environments.txt'],
    python_version: '3.11.9',
    package_counts: { conda: 120, pip: 7 },
    revision: 'r1',
    has_ipykernel: true,
    kernels: [
      {
        name: `conda-env-${name}-py`,
        display_name: `Python [conda env:${name}]`,
        language: 'python'
      }
    ],
    is_server_env: false,
    writable: true,
    errors: [],
    ...overrides
  };
}

/**
 * A package record as the server sends it, with test defaults.
 */
export function makePackage(
  overrides: Partial<PackageRecord> = {}
): PackageRecord {
  const name = overrides.name ?? 'numpy';
  const pip = overrides.source === 'pypi';
  return {
    name,
    normalized_name: name.toLowerCase().replace(/[-_.]+/g, '-'),
    version: '1.24.3',
    build: pip ? 'pypi_0' : 'py311h08b1b3b_0',
    build_number: 0,
    channel: pip ? 'pypi' : 'conda-forge',
    subdir: pip ? '' : 'linux-64',
    depends: [],
    constrains: [],
    size: null,
    url: null,
    requested_spec: null,
    source: 'conda',
    installer: pip ? 'pip' : null,
    editable: false,
    conflicts: [],
    ...overrides
  };
}

/**
 * A project environment as the server sends it: `runnable`, named in an
 * environment.yml, with its nb_conda_kernels-style kernel.
 */
export function makeProject(
  overrides: Partial<ProjectEnvironment> = {}
): ProjectEnvironment {
  const name = overrides.name ?? 'runnable';
  return {
    environment_id: `id-${name}`,
    name,
    prefix: `/opt/conda/envs/${name}`,
    source: 'environment.yml',
    file: 'projects/runnable_project/environment.yml',
    folder: 'projects/runnable_project',
    kernel: `conda-env-${name}-py`,
    ...overrides
  };
}

/**
 * The answer of `GET project` for `path`.
 */
export function projectOf(
  path: string,
  project: ProjectEnvironment | null,
  unresolved: ProjectResponse['unresolved'] = []
): ProjectResponse {
  return { path, project, unresolved };
}

export function listing(
  environments: EnvironmentSummary[]
): EnvironmentsResponse {
  return { environments, skipped: [], server_prefix: '/opt/conda' };
}

export function packagesOf(
  id: string,
  packages: PackageRecord[]
): PackagesResponse {
  return { id, prefix: `/prefix/${id}`, packages, errors: [] };
}

/**
 * A client whose answers the test releases, in any order, by hand.
 */
export class FakeClient extends CondaEnvsClient {
  constructor() {
    super({ serverSettings: ServerConnection.makeSettings() });
  }

  readonly listCalls: PromiseDelegate<EnvironmentsResponse>[] = [];
  readonly packageCalls: {
    id: string;
    reply: PromiseDelegate<PackagesResponse>;
  }[] = [];
  readonly projectCalls: {
    path: string;
    reply: PromiseDelegate<ProjectResponse>;
  }[] = [];

  listEnvironments(): Promise<EnvironmentsResponse> {
    const reply = new PromiseDelegate<EnvironmentsResponse>();
    this.listCalls.push(reply);
    return reply.promise;
  }

  getPackages(id: string): Promise<PackagesResponse> {
    const reply = new PromiseDelegate<PackagesResponse>();
    this.packageCalls.push({ id, reply });
    return reply.promise;
  }

  getProject(path: string): Promise<ProjectResponse> {
    const reply = new PromiseDelegate<ProjectResponse>();
    this.projectCalls.push({ path, reply });
    return reply.promise;
  }

  /** The reply to the latest project request. */
  get lastProject(): PromiseDelegate<ProjectResponse> {
    const last = this.projectCalls[this.projectCalls.length - 1];
    if (!last) {
      throw new Error('no project request was made');
    }
    return last.reply;
  }

  /** The reply to the latest listing request. */
  get lastList(): PromiseDelegate<EnvironmentsResponse> {
    const last = this.listCalls[this.listCalls.length - 1];
    if (!last) {
      throw new Error('no listing request was made');
    }
    return last;
  }

  /** The reply to the latest package request. */
  get lastPackages(): PromiseDelegate<PackagesResponse> {
    const last = this.packageCalls[this.packageCalls.length - 1];
    if (!last) {
      throw new Error('no package request was made');
    }
    return last.reply;
  }
}

/**
 * Let pending promise callbacks run.
 */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
  }
}

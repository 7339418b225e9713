import { ServerConnection } from '@jupyterlab/services';
import { PromiseDelegate } from '@lumino/coreutils';

import type {
  EnvironmentSummary,
  EnvironmentsResponse,
  PackageRecord,
  PackagesResponse
} from '../environments/api';
import type { ProbeResponse, SystemFacts } from '../gpu/api';
import type { ProjectEnvironment, ProjectResponse } from '../kernels/api';
import type { EnvironmentAnalysis, GpuFacts, IVerdict } from '../compat';
import { CondaEnvsClient } from '../client';

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
    frozen: false,
    frozen_message: null,
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
  return {
    id,
    prefix: `/prefix/${id}`,
    packages,
    errors: [],
    digest: `sha256:${'0'.repeat(64)}`
  };
}

/**
 * `GET system` for the UI tests' simulated machine: one A100 on driver
 * 525.60.13 (CUDA 12.0); `gpu` overrides parts of the GPU facts.
 */
export function makeSystem(
  gpu: Partial<GpuFacts> = {},
  overrides: Partial<Omit<SystemFacts, 'gpu'>> = {}
): SystemFacts {
  return {
    platform: { system: 'Linux', machine: 'x86_64', conda_subdir: 'linux-64' },
    gpu: {
      available: true,
      reason: null,
      driver_version: '525.60.13',
      cuda_driver_version: '12.0',
      gpus: [
        {
          index: 0,
          name: 'NVIDIA A100-SXM4-40GB',
          memory_mib: 40960,
          compute_capability: '8.0'
        }
      ],
      detected_by: 'file',
      attempts: [{ method: 'file', ok: true, detail: 'gpu-facts.json' }],
      simulated: true,
      ...gpu
    },
    conda_override_cuda: null,
    tools: [],
    ...overrides
  };
}

/**
 * The GPU facts of a machine without an NVIDIA driver.
 */
export const NO_GPU: Partial<GpuFacts> = {
  available: false,
  reason: 'no NVIDIA driver: /proc/driver/nvidia/version does not exist',
  driver_version: null,
  cuda_driver_version: null,
  gpus: [],
  detected_by: null,
  attempts: [
    { method: 'nvml', ok: false, detail: 'NVML Shared Library Not Found' },
    { method: 'nvidia-smi', ok: false, detail: 'not found on PATH' }
  ],
  simulated: false
};

/**
 * A probe that answered, from an environment with `frameworks`.
 */
export function probeOk(
  id: string,
  frameworks: Extract<
    ProbeResponse,
    { status: 'ok' }
  >['result']['frameworks'] = {}
): ProbeResponse {
  return {
    id,
    prefix: `/prefix/${id}`,
    status: 'ok',
    seconds: 0.42,
    stderr: '',
    result: {
      python: '3.11.7',
      executable: `/prefix/${id}/bin/python`,
      frameworks
    }
  };
}

/**
 * A verdict as the engine gives it, with test defaults (a warning).
 */
export function makeVerdict(overrides: Partial<IVerdict> = {}): IVerdict {
  return {
    code: 'minor-version-compat',
    severity: 'warning',
    title: 'Runs only through CUDA minor-version compatibility',
    message: 'pytorch 2.5.1 is built for CUDA 12.6; the driver supports 12.0',
    template:
      'pytorch {version} is built for CUDA {cuda}; the driver supports {driver}',
    params: { version: '2.5.1', cuda: '12.6', driver: '12.0' },
    packages: ['pytorch'],
    rule: 'A CUDA X.Y build runs if the driver supports CUDA ≥ X.Y.',
    sources: ['N2', 'C1'],
    verified: true,
    fix: 'conda install "cuda-version=12.0" "pytorch=*=cuda*"',
    ...overrides
  };
}

/**
 * An engine answer with `status` and `verdicts`; the Python and frameworks
 * stay empty unless given.
 */
export function analysisWith(
  status: EnvironmentAnalysis['status'],
  records: readonly PackageRecord[] = [],
  verdicts: IVerdict[] = [],
  overrides: Partial<EnvironmentAnalysis> = {}
): EnvironmentAnalysis {
  return {
    python: records.find(r => r.name === 'python')?.version ?? null,
    frameworks: [],
    cuda: [],
    verdicts,
    status,
    ...overrides
  };
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

  readonly systemCalls: PromiseDelegate<SystemFacts>[] = [];
  readonly probeCalls: {
    id: string;
    reply: PromiseDelegate<ProbeResponse>;
  }[] = [];

  getSystem(): Promise<SystemFacts> {
    const reply = new PromiseDelegate<SystemFacts>();
    this.systemCalls.push(reply);
    return reply.promise;
  }

  probe(id: string): Promise<ProbeResponse> {
    const reply = new PromiseDelegate<ProbeResponse>();
    this.probeCalls.push({ id, reply });
    return reply.promise;
  }

  /** The reply to the latest system request. */
  get lastSystem(): PromiseDelegate<SystemFacts> {
    const last = this.systemCalls[this.systemCalls.length - 1];
    if (!last) {
      throw new Error('no system request was made');
    }
    return last;
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

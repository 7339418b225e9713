import { ServerClient } from './core/client';
import {
  CreateClient,
  CreateJobResponse,
  CreatePlanResponse,
  CreateRequest
} from './create/api';
import {
  EnvironmentsClient,
  EnvironmentsResponse,
  PackagesResponse
} from './environments/api';
import {
  ExportClient,
  ExportMode,
  SnapshotRequest,
  SnapshotResponse,
  SpecFileResponse
} from './export/api';
import { GpuClient, ProbeResponse, SystemFacts } from './gpu/api';
import {
  JobLogResponse,
  JobResponse,
  JobsClient,
  JobsResponse
} from './jobs/api';
import { KernelsClient, ProjectResponse } from './kernels/api';

/**
 * The typed client of every route, as one object.
 *
 * Each capability has its own client (`src/<capability>/api.ts`) and each
 * model asks only for the one(s) it uses; the plugin builds this one object
 * and hands it to all of them, since several models span two capabilities
 * (the environment list reads packages and project environments).
 */
export class CondaEnvsClient extends ServerClient {
  constructor(options: CondaEnvsClient.IOptions = {}) {
    super(options);
    const shared = { serverSettings: this.serverSettings };
    this._environments = new EnvironmentsClient(shared);
    this._kernels = new KernelsClient(shared);
    this._gpu = new GpuClient(shared);
    this._export = new ExportClient(shared);
    this._create = new CreateClient(shared);
    this._jobs = new JobsClient(shared);
  }

  listEnvironments(): Promise<EnvironmentsResponse> {
    return this._environments.listEnvironments();
  }

  getPackages(id: string): Promise<PackagesResponse> {
    return this._environments.getPackages(id);
  }

  getProject(path: string): Promise<ProjectResponse> {
    return this._kernels.getProject(path);
  }

  getSystem(): Promise<SystemFacts> {
    return this._gpu.getSystem();
  }

  probe(id: string): Promise<ProbeResponse> {
    return this._gpu.probe(id);
  }

  exportEnvironment(id: string, mode: ExportMode): Promise<string> {
    return this._export.exportEnvironment(id, mode);
  }

  snapshot(id: string, request: SnapshotRequest): Promise<SnapshotResponse> {
    return this._export.snapshot(id, request);
  }

  getSpecFile(path: string): Promise<SpecFileResponse> {
    return this._export.getSpecFile(path);
  }

  createEnvironment(
    request: CreateRequest & { dry_run: true }
  ): Promise<CreatePlanResponse>;
  createEnvironment(request: CreateRequest): Promise<CreateJobResponse>;
  createEnvironment(
    request: CreateRequest
  ): Promise<CreatePlanResponse | CreateJobResponse> {
    return this._create.createEnvironment(request);
  }

  listJobs(): Promise<JobsResponse> {
    return this._jobs.listJobs();
  }

  getJob(id: string, offset = 0): Promise<JobLogResponse> {
    return this._jobs.getJob(id, offset);
  }

  cancelJob(id: string): Promise<JobResponse> {
    return this._jobs.cancelJob(id);
  }

  private _environments: EnvironmentsClient;
  private _kernels: KernelsClient;
  private _gpu: GpuClient;
  private _export: ExportClient;
  private _create: CreateClient;
  private _jobs: JobsClient;
}

export namespace CondaEnvsClient {
  export type IOptions = ServerClient.IOptions;
}

import { ServerClient } from '../core/client';

/*
 * The JSON shapes of the server extension's job routes, field for field
 * as in docs/rest-api.md (and the server's `jobs/routes.py`). Keep them in step.
 */

export type JobKind = 'create' | 'update';

export type JobStatus =
  'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * A change to an environment that runs on the server.
 */
export interface Job {
  id: string;
  kind: JobKind;
  name: string;
  prefix: string;
  backend: string;
  status: JobStatus;
  /** 0..1; null while the tool reports none. */
  progress: number | null;
  /** What the tool is doing now (solving, downloading, ...). */
  phase: string | null;
  /** Why it failed; `''` unless `status` is `failed`. */
  error: string;
  /** Epoch seconds. */
  created: number;
  started: number | null;
  finished: number | null;
  /** The id of the environment, once it exists. */
  environment_id: string | null;
  /** Log lines written so far (the offset after the last one). */
  log_size: number;
}

/**
 * The answer of `GET jobs`.
 */
export interface JobsResponse {
  jobs: Job[];
}

/**
 * The answer of `GET jobs/{id}?offset=`.
 */
export interface JobLogResponse {
  job: Job;
  /** The log lines from the asked absolute offset (those still kept). */
  log: string[];
  /** The offset to ask from next. */
  offset: number;
}

/**
 * The answer of `DELETE jobs/{id}`.
 */
export interface JobResponse {
  job: Job;
}

/**
 * The client of the job routes.
 */
export class JobsClient extends ServerClient {
  /**
   * `GET jobs`: the jobs the server knows (running and recently finished).
   */
  listJobs(): Promise<JobsResponse> {
    return this.requestJSON<JobsResponse>('jobs', { method: 'GET' });
  }

  /**
   * `GET jobs/{id}?offset=`: a job and its log lines from `offset` on.
   */
  getJob(id: string, offset = 0): Promise<JobLogResponse> {
    return this.requestJSON<JobLogResponse>(
      `jobs/${encodeURIComponent(id)}?offset=${Math.max(0, Math.floor(offset))}`,
      { method: 'GET' }
    );
  }

  /**
   * `DELETE jobs/{id}`: cancel a job; a finished one is left as it is.
   */
  cancelJob(id: string): Promise<JobResponse> {
    return this.requestJSON<JobResponse>(`jobs/${encodeURIComponent(id)}`, {
      method: 'DELETE'
    });
  }
}

import type { SystemFacts } from '../compat/facts';
import { ServerClient } from '../core/client';

// The compatibility engine owns the shape of `GET system` (it judges it);
// the client re-exports it so callers need only one import.
export type { SystemFacts } from '../compat/facts';

/*
 * The JSON shapes of the server extension's system facts and probe routes, field for field
 * as in docs/rest-api.md (and the server's `gpu/routes.py`). Keep them in step.
 */

/**
 * How a probe ended: it answered, ran past the time limit, or exited
 * without an answer.
 */
export type ProbeStatus = 'ok' | 'timeout' | 'failed';

/**
 * What PyTorch sees in the probed environment.
 */
export interface ProbeTorchFacts {
  /** `torch.__version__`, e.g. `2.1.0+cu118`. */
  version: string;
  /** `torch.version.cuda`: the CUDA it was built for; null for a CPU build. */
  cuda: string | null;
  /** `torch.cuda.is_available()`. */
  available: boolean;
  device_count: number;
  /** Device names; only when `available`. */
  devices?: string[];
  /** Compute capabilities ("8.0"), one per device; only when `available`. */
  capabilities?: string[];
  /** `torch.cuda.get_arch_list()`; only when `available`. */
  arch_list?: string[];
}

/**
 * What TensorFlow sees in the probed environment.
 */
export interface ProbeTensorflowFacts {
  version: string;
  /** The CUDA of its build info; null for a CPU build. */
  cuda: string | null;
  cudnn: string | null;
  /** Names of the GPU devices it lists. */
  devices: string[];
}

/**
 * What JAX sees in the probed environment.
 */
export interface ProbeJaxFacts {
  version: string;
  /** `jax.default_backend()`: `cpu`, `gpu`, `tpu`. */
  backend: string;
  devices: string[];
}

/**
 * A framework that is installed but failed to import or answer.
 */
export interface ProbeFrameworkError {
  /** `ExceptionType: message`. */
  error: string;
}

/**
 * The frameworks the probe found installed (absent keys: not installed).
 */
export interface ProbeFrameworks {
  torch?: ProbeTorchFacts | ProbeFrameworkError;
  tensorflow?: ProbeTensorflowFacts | ProbeFrameworkError;
  jax?: ProbeJaxFacts | ProbeFrameworkError;
}

/**
 * What the environment's interpreter reported.
 */
export interface ProbeResult {
  /** `platform.python_version()`. */
  python: string;
  executable: string;
  frameworks: ProbeFrameworks;
  /**
   * The CUDA-related variables the interpreter saw (CONDA_PREFIX, CUDA_HOME,
   * CUDA_PATH, CUDA_VISIBLE_DEVICES, LD_LIBRARY_PATH, XLA_FLAGS), when set.
   */
  variables?: Record<string, string>;
}

interface ProbeAnswerBase {
  id: string;
  prefix: string;
  /** Wall-clock seconds the probe ran. */
  seconds: number;
  /** The tail of what the interpreter printed to stderr. */
  stderr: string;
}

/**
 * The probe answered.
 */
export interface ProbeOk extends ProbeAnswerBase {
  status: 'ok';
  result: ProbeResult;
}

/**
 * The probe was killed at the time limit.
 */
export interface ProbeTimeout extends ProbeAnswerBase {
  status: 'timeout';
  message: string;
}

/**
 * The interpreter exited with an error, or printed no readable answer.
 */
export interface ProbeFailed extends ProbeAnswerBase {
  status: 'failed';
  exit_code: number | null;
}

/**
 * The answer of `POST environments/{id}/probe`.
 */
export type ProbeResponse = ProbeOk | ProbeTimeout | ProbeFailed;

/**
 * The client of this machine's facts and of the in-environment probe.
 */
export class GpuClient extends ServerClient {
  /**
   * `GET system`: this machine's platform, NVIDIA driver and GPUs (or why
   * none), `CONDA_OVERRIDE_CUDA` and conda tools.
   */
  getSystem(): Promise<SystemFacts> {
    return this.requestJSON<SystemFacts>('system', { method: 'GET' });
  }

  /**
   * `POST environments/{id}/probe`: run the environment's own interpreter
   * to ask its frameworks what they see. It runs code, so the server allows
   * it only to users who may run kernels.
   */
  probe(id: string): Promise<ProbeResponse> {
    return this.requestJSON<ProbeResponse>(
      `environments/${encodeURIComponent(id)}/probe`,
      { method: 'POST', body: '{}' }
    );
  }
}

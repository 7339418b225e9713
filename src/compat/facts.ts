/*
 * The facts about this machine, as `GET /conda-envs/system` returns them.
 *
 * These mirror the server JSON field for field (like the types in api.ts), so
 * they keep the server's names instead of the `I` prefix of engine types.
 */
/* eslint-disable @typescript-eslint/naming-convention */

/**
 * One NVIDIA GPU.
 */
export interface GpuDevice {
  index: number;
  name: string;
  memory_mib: number | null;
  /** "Major.Minor", e.g. "8.6"; null when the driver did not say. */
  compute_capability: string | null;
}

/**
 * One way the server tried to learn about the driver, in the order tried.
 */
export interface DetectionAttempt {
  method: 'nvml' | 'sysfs' | 'procfs' | 'nvidia-smi' | 'file';
  ok: boolean;
  detail: string;
}

/**
 * What the server learned about the NVIDIA driver and GPUs.
 */
export interface GpuFacts {
  /** An NVIDIA driver answered. */
  available: boolean;
  /** Why not, when not available. */
  reason: string | null;
  /** e.g. "580.65.06". */
  driver_version: string | null;
  /** Max CUDA the driver supports, e.g. "13.0"; null when only the driver version is known. */
  cuda_driver_version: string | null;
  gpus: GpuDevice[];
  detected_by: DetectionAttempt['method'] | null;
  attempts: DetectionAttempt[];
  /** Loaded from a configured file (demos and UI tests). */
  simulated: boolean;
}

/**
 * Everything the server reports about this machine.
 */
export interface SystemFacts {
  platform: { system: string; machine: string; conda_subdir: string };
  gpu: GpuFacts;
  /** CONDA_OVERRIDE_CUDA when set. */
  conda_override_cuda: string | null;
  tools: { name: string; path: string; source: string }[];
}

import type { IDriverCuda } from '../driver';
import type { GpuFacts } from '../facts';

/*
 * How messages describe the machine: the driver and what it supports, and
 * why no GPU was found.
 */

/**
 * "driver 525.60.13 (CUDA 12.0)", with "inferred from the driver version" or
 * "simulated" where that applies.
 */
export function describeDriver(gpu: GpuFacts, drv: IDriverCuda): string {
  const notes: string[] = [];
  if (drv.inferred) {
    notes.push('inferred from the driver version');
  }
  if (gpu.simulated) {
    notes.push('simulated');
  }
  const name = drv.driver ? `driver ${drv.driver}` : 'the driver';
  const extra = notes.length > 0 ? `; ${notes.join(', ')}` : '';
  return `${name} (CUDA ${drv.text}${extra})`;
}

/**
 * "2× NVIDIA A100-SXM4-80GB", "an NVIDIA GPU" when the driver listed none.
 */
export function describeGpus(gpu: GpuFacts): string {
  if (gpu.gpus.length === 0) {
    return 'an NVIDIA GPU';
  }
  const counts = new Map<string, number>();
  for (const device of gpu.gpus) {
    counts.set(device.name, (counts.get(device.name) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([name, n]) => (n > 1 ? `${n}× ${name}` : name))
    .join(', ');
}

/**
 * Why no GPU: the server's reason and what each detection method said.
 */
export function describeNoGpu(gpu: GpuFacts): string {
  const reason = gpu.reason ?? 'no NVIDIA driver answered';
  const tried = gpu.attempts.map(a => `${a.method}: ${a.detail}`);
  const checks = tried.length > 0 ? ` (checked ${tried.join('; ')})` : '';
  return `${reason}${checks}${gpu.simulated ? ' [simulated]' : ''}`;
}

import type { EnvironmentSummary } from '../environments/api';
import type { ProjectEnvironment } from './api';

/*
 * Which environment a kernel runs in, and whether that is a notebook's project
 * environment. The server groups every kernelspec it knows under the
 * environment it runs in (`EnvironmentSummary.kernels`), so these are lookups
 * in a listing, shared by the panel, the toolbar indicator and auto-switching.
 */

/**
 * The environment whose kernels include `kernelName`, if any.
 */
export function environmentOfKernel(
  environments: ReadonlyArray<EnvironmentSummary>,
  kernelName: string | null
): EnvironmentSummary | null {
  if (kernelName === null) {
    return null;
  }
  return (
    environments.find(env =>
      env.kernels.some(kernel => kernel.name === kernelName)
    ) ?? null
  );
}

/**
 * The kernelspec names grouped under the environment `id`.
 */
export function kernelNamesOf(
  environments: ReadonlyArray<EnvironmentSummary>,
  id: string
): string[] {
  const env = environments.find(candidate => candidate.id === id);
  return env ? env.kernels.map(kernel => kernel.name) : [];
}

/**
 * Whether a kernel runs in the project environment: it is the kernel the
 * project names, or any other kernelspec of that environment (e.g. one the
 * user registered with `ipykernel install` under their own name).
 *
 * @param envKernels - the kernelspec names grouped under the project's environment
 */
export function kernelRunsInProject(
  project: ProjectEnvironment,
  kernelName: string | null,
  envKernels: ReadonlyArray<string>
): boolean {
  if (kernelName === null) {
    return false;
  }
  return kernelName === project.kernel || envKernels.includes(kernelName);
}

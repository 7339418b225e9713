import type { EnvironmentSummary } from './api';

/*
 * The shell commands the panel suggests when an environment cannot be used as
 * a kernel yet. They are shown for the user to copy and run; the panel never
 * runs them. Prefixes are double-quoted because they may contain spaces.
 */

/**
 * Whether a prefix is a Windows path (`C:\...`), where the interpreter is
 * `<prefix>\python.exe` rather than `<prefix>/bin/python`.
 */
function isWindowsPrefix(prefix: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(prefix) || prefix.startsWith('\\\\');
}

/**
 * The path of an environment's Python interpreter.
 */
export function pythonPath(prefix: string): string {
  return isWindowsPrefix(prefix)
    ? `${prefix.replace(/[\\/]+$/, '')}\\python.exe`
    : `${prefix.replace(/\/+$/, '')}/bin/python`;
}

/**
 * `conda install -p "<prefix>" ipykernel`.
 */
export function condaInstallIpykernel(env: EnvironmentSummary): string {
  return `conda install -p "${env.prefix}" ipykernel`;
}

/**
 * `"<prefix>/bin/python" -m pip install ipykernel`, for pip users.
 */
export function pipInstallIpykernel(env: EnvironmentSummary): string {
  return `"${pythonPath(env.prefix)}" -m pip install ipykernel`;
}

/**
 * A kernelspec name for an environment, following nb_conda_kernels
 * (`conda-env-<env>-py`, `conda-base-py`) so notebooks written under it
 * open with the same kernel. Jupyter allows only `[a-z0-9._-]` in names.
 */
export function safeKernelName(env: EnvironmentSummary): string {
  if (env.kind === 'base') {
    return 'conda-base-py';
  }
  const base = env.name.split(/[\\/]/).filter(Boolean).pop() ?? env.name;
  const slug = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `conda-env-${slug || 'env'}-py`;
}

/**
 * The command that registers an environment that has ipykernel as a kernel.
 */
export function registerKernel(env: EnvironmentSummary): string {
  const display = `Python [conda env:${env.name}]`.replace(/"/g, '\\"');
  return (
    `"${pythonPath(env.prefix)}" -m ipykernel install --user ` +
    `--name ${safeKernelName(env)} --display-name "${display}"`
  );
}

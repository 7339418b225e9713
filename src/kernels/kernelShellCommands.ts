import { isWindowsPrefix, pythonPath, shellQuote } from '../core/shellQuote';
import type { EnvironmentSummary } from '../environments/api';

/*
 * The shell commands the panel suggests when an environment cannot be used as
 * a kernel yet. They are shown for the user to copy and run; the panel never
 * runs them. Every value from the server is quoted for the shell: a prefix or
 * name with spaces, `$(...)`, backticks or quotes must stay one argument and
 * never run anything when pasted.
 */

/**
 * `conda install -p '<prefix>' ipykernel`.
 */
export function condaInstallIpykernel(
  env: Pick<EnvironmentSummary, 'prefix'>
): string {
  const windows = isWindowsPrefix(env.prefix);
  return `conda install -p ${shellQuote(env.prefix, windows)} ipykernel`;
}

/**
 * `'<prefix>/bin/python' -m pip install ipykernel`, for pip users.
 */
export function pipInstallIpykernel(
  env: Pick<EnvironmentSummary, 'prefix'>
): string {
  const windows = isWindowsPrefix(env.prefix);
  return `${shellQuote(pythonPath(env.prefix), windows)} -m pip install ipykernel`;
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
  const windows = isWindowsPrefix(env.prefix);
  const display = shellQuote(`Python [conda env:${env.name}]`, windows);
  return (
    `${shellQuote(pythonPath(env.prefix), windows)} -m ipykernel install ` +
    `--user --name ${safeKernelName(env)} --display-name ${display}`
  );
}

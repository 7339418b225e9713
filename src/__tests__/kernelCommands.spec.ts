import { pythonPath } from '../core/shellQuote';
import {
  condaInstallIpykernel,
  pipInstallIpykernel,
  registerKernel,
  safeKernelName
} from '../kernels/kernelShellCommands';
import { makeEnv } from './fixtures';

describe('kernel commands', () => {
  it('finds the interpreter on POSIX and Windows prefixes', () => {
    expect(pythonPath('/opt/conda/envs/a/')).toBe(
      '/opt/conda/envs/a/bin/python'
    );
    expect(pythonPath('C:\\Users\\me\\miniconda3\\envs\\a')).toBe(
      'C:\\Users\\me\\miniconda3\\envs\\a\\python.exe'
    );
  });

  it('quotes the prefix in the install commands', () => {
    const env = makeEnv({ name: 'a b', prefix: '/x/a b' });
    expect(condaInstallIpykernel(env)).toBe(
      "conda install -p '/x/a b' ipykernel"
    );
    expect(pipInstallIpykernel(env)).toBe(
      "'/x/a b/bin/python' -m pip install ipykernel"
    );
  });

  it('never lets a name or path run code when the command is pasted', () => {
    const env = makeEnv({
      name: "x'; touch /tmp/pwned; echo '",
      prefix: "/x/$(touch /tmp/pwned)`id`/it's"
    });
    expect(condaInstallIpykernel(env)).toBe(
      "conda install -p '/x/$(touch /tmp/pwned)`id`/it'\\''s' ipykernel"
    );
    expect(registerKernel(env)).toContain(
      "--display-name 'Python [conda env:x'\\''; touch /tmp/pwned; echo '\\'']'"
    );
  });

  it('uses cmd quoting for Windows prefixes', () => {
    const env = makeEnv({ prefix: 'C:\\Users\\me\\envs\\a b' });
    expect(condaInstallIpykernel(env)).toBe(
      'conda install -p "C:\\Users\\me\\envs\\a b" ipykernel'
    );
  });

  it.each([
    [makeEnv({ name: 'torch' }), 'conda-env-torch-py'],
    [makeEnv({ name: 'Torch 2.3 (CUDA)' }), 'conda-env-torch-2.3-cuda-py'],
    [makeEnv({ name: 'base', kind: 'base' }), 'conda-base-py'],
    [
      makeEnv({
        name: '/data/proj/env',
        kind: 'path',
        prefix: '/data/proj/env'
      }),
      'conda-env-env-py'
    ],
    [makeEnv({ name: '***' }), 'conda-env-env-py']
  ])('names a kernel for %#', (env, expected) => {
    const name = safeKernelName(env);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[a-z0-9._-]+$/);
  });

  it('registers a kernel with the nb_conda_kernels display name', () => {
    expect(registerKernel(makeEnv({ name: 'torch' }))).toBe(
      "'/opt/conda/envs/torch/bin/python' -m ipykernel install --user " +
        "--name conda-env-torch-py --display-name 'Python [conda env:torch]'"
    );
  });
});

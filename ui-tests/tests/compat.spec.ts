/**
 * Compatibility in the panel, under the simulated GPU facts of jupyter_server_test_config.py: one A100-SXM4-40GB
 * (compute capability 8.0) on driver 525.60.13, whose highest CUDA is 12.0.
 */
import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { envNamed, loadManifest } from './manifest';
import { expand, openPanel, PANEL, row } from './environments';

const manifest = loadManifest();
const HEADER = `${PANEL} .jp-CondaEnvs-MachineHeader`;

function badge(page: IJupyterLabPageFixture, name: string) {
  return row(page, name).locator('.jp-CondaEnvs-CompatBadge');
}

function verdict(page: IJupyterLabPageFixture, name: string, code: string) {
  return row(page, name).locator(`.jp-CondaEnvs-Verdict[data-code="${code}"]`);
}

test.describe('Compatibility on the simulated A100', () => {
  test('"This machine" shows the simulated GPU, its driver and CUDA', async ({ page }) => {
    await openPanel(page);
    const header = page.locator(HEADER);
    await expect(header).toHaveAttribute('data-gpu', 'yes');
    await expect(header).toHaveAttribute('data-simulated', 'true');
    await expect(header).toContainText('This machine');
    await expect(header).toContainText('NVIDIA A100-SXM4-40GB');
    await expect(header.locator('.jp-CondaEnvs-MachineHeader-simulated')).toHaveText('simulated');
    await expect(header).toContainText('Driver 525.60.13');
    await expect(header).toContainText('CUDA ≤ 12.0');
    await expect(header).toContainText('CC 8.0');
    await expect(header).toContainText('40 GiB');
  });

  test('badges judge each environment against the driver', async ({ page }) => {
    await openPanel(page);
    // conda-forge pytorch 2.5.1 built for CUDA 12.6: same major as the driver's 12.0, so it runs only through
    // minor-version compatibility.
    await expect(badge(page, 'cf_cuda12')).toHaveAttribute('data-status', 'warning');
    await expect(badge(page, 'cf_cuda12')).toHaveAttribute('aria-label', /minor-version compatibility/);
    // pytorch-channel 2.1.0 for CUDA 11.8: the 12.0 driver runs it.
    await expect(badge(page, 'glm_finetune')).toHaveAttribute('data-status', 'ok');
    await expect(badge(page, 'cpu_only')).toHaveAttribute('data-status', 'warning');
    await expect(badge(page, 'cpu_only')).toHaveAttribute('aria-label', /CPU-only build/);
    await expect(badge(page, 'pip_shadow')).toHaveAttribute('data-status', 'warning');
    await expect(badge(page, 'pip_shadow')).toHaveAttribute('aria-label', /pip package installed over a conda package/);
  });

  test('an expanded environment shows its verdicts with rule, sources and fix', async ({ page }) => {
    await openPanel(page);
    await expand(page, 'cf_cuda12');
    const mvc = verdict(page, 'cf_cuda12', 'minor-version-compat');
    await expect(mvc).toHaveAttribute('data-severity', 'warning');
    await expect(mvc).toContainText('Runs only through CUDA minor-version compatibility');
    await expect(mvc).toContainText('12.6');
    await expect(mvc).toContainText('525.60.13');
    await expect(mvc.locator('.jp-CondaEnvs-Verdict-packages')).toContainText('pytorch');
    await expect(mvc.locator('.jp-CondaEnvs-Verdict-rule')).toContainText('minor-version compatibility');
    await expect(mvc.locator('.jp-CondaEnvs-Verdict-source').first()).toBeVisible();
    // The fix: the command to copy, on its own.
    const fix = mvc.locator('.jp-CondaEnvs-Verdict-fix .jp-CondaEnvs-CommandSnippet-code');
    await expect(fix.first()).toContainText('conda install');
    await expect(fix.first()).toContainText('cuda-version<=12.0');
    await expect(mvc.locator('.jp-CondaEnvs-Verdict-fix').getByRole('button', { name: 'Copy the command' }).first())
      .toBeVisible();

    await expand(page, 'glm_finetune');
    await expect(verdict(page, 'glm_finetune', 'cuda-build-ok')).toHaveAttribute('data-severity', 'ok');
    await expect(row(page, 'glm_finetune').locator('.jp-CondaEnvs-CompatSection-build[data-framework="pytorch"]'))
      .toContainText('PyTorch 2.1.0 · CUDA 11.8 build');

    await expand(page, 'cpu_only');
    const cpu = verdict(page, 'cpu_only', 'cpu-build-on-gpu-machine');
    await expect(cpu).toContainText('CPU-only build on a machine with an NVIDIA GPU');
    await expect(cpu.locator('.jp-CondaEnvs-Verdict-fix')).toContainText('pytorch-cuda');

    await expand(page, 'pip_shadow');
    const shadow = verdict(page, 'pip_shadow', 'pip-shadows-conda');
    await expect(shadow).toContainText('numpy');
    await expect(shadow.locator('.jp-CondaEnvs-Verdict-fix')).toContainText('pip uninstall numpy');
  });

  test('"Check in environment" runs the environment\'s Python', async ({ page }) => {
    const runnable = envNamed(manifest, 'runnable');
    const python = execFileSync(path.join(runnable.prefix, 'bin', 'python'), [
      '-I',
      '-c',
      'import platform; print(platform.python_version())'
    ])
      .toString()
      .trim();
    await openPanel(page);
    await expand(page, 'runnable');
    const button = row(page, 'runnable').getByRole('button', { name: 'Check in environment' });
    await button.click();
    const result = row(page, 'runnable').locator('.jp-CondaEnvs-ProbeResult');
    await expect(result).toHaveAttribute('data-status', 'ok', { timeout: 60000 });
    await expect(result).toContainText(`Python ${python}`);
    await expect(result).toContainText('No PyTorch, TensorFlow or JAX');
    await expect(button).toBeEnabled();
  });
});

import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as fs from 'fs';
import { envNamed, loadManifest } from './manifest';
import { kernelOf } from './notebook';

const manifest = loadManifest();
const PANEL = '.jp-CondaEnvs-Panel';
const PROJECT = `${PANEL} .jp-CondaEnvs-ProjectEnvironment`;
const INDICATOR = '.jp-CondaEnvs-KernelEnvIndicator-button';

/**
 * The fixture's runnable_project (environment.yml naming `runnable`, and notebooks/train.ipynb saved with the
 * server's `python3` kernel) copied under the server root; returns the notebook's path.
 */
async function uploadProject(page: IJupyterLabPageFixture, tmpPath: string): Promise<string> {
  await page.contents.uploadDirectory(manifest.paths.runnable_project_dir, `${tmpPath}/runnable_project`);
  return `${tmpPath}/runnable_project/notebooks/train.ipynb`;
}

async function showPanel(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('conda-envs:show-panel');
  });
  await expect(page.locator(PANEL)).toBeVisible();
}

async function autoSwitch(page: IJupyterLabPageFixture, on: boolean): Promise<void> {
  await page.evaluate(async (wanted: boolean) => {
    const { commands } = window.jupyterapp;
    const id = 'conda-envs:toggle-auto-switch';
    if (commands.isToggled(id) !== wanted) {
      await commands.execute(id);
    }
  }, on);
  await expect
    .poll(() => page.evaluate(() => window.jupyterapp.commands.isToggled('conda-envs:toggle-auto-switch')))
    .toBe(on);
}

async function printedPrefix(page: IJupyterLabPageFixture): Promise<string> {
  await page.notebook.runCell(0, true);
  const output = await page.notebook.getCellTextOutput(0);
  return (output ?? []).join('').trim();
}

test.describe('Project environments', () => {
  test('the panel shows the project env, the mismatch, and switches in one click', async ({ page, tmpPath }) => {
    const runnable = envNamed(manifest, 'runnable');
    const notebook = await uploadProject(page, tmpPath);
    await page.notebook.openByPath(notebook);
    await expect.poll(() => kernelOf(page)).toBe('python3');
    await showPanel(page);
    const project = page.locator(PROJECT);
    await expect(project).toHaveAttribute('data-status', 'mismatch');
    await expect(project).toContainText('runnable');
    await expect(project).toContainText('environment.yml');

    await project.getByRole('button', { name: 'Switch to runnable' }).click();
    await expect(project).toHaveAttribute('data-status', 'match');
    expect(await kernelOf(page)).toBe('conda-env-runnable-py');
    expect(await printedPrefix(page)).toBe(fs.realpathSync(runnable.prefix));
  });

  test('a yml naming a missing environment is explained', async ({ page, tmpPath }) => {
    await page.contents.uploadDirectory(manifest.paths.ghost_project_dir, `${tmpPath}/ghost_project`);
    await page.notebook.openByPath(`${tmpPath}/ghost_project/analysis.ipynb`);
    await showPanel(page);
    const project = page.locator(PROJECT);
    await expect(project).toHaveAttribute('data-status', 'none');
    await expect(project).toContainText('ghost_env');
  });

  test('with the auto-switch setting, a notebook opens in its project env', async ({ page, tmpPath }) => {
    const runnable = envNamed(manifest, 'runnable');
    await autoSwitch(page, true);
    const notebook = await uploadProject(page, tmpPath);
    await page.notebook.openByPath(notebook);
    await expect.poll(() => kernelOf(page)).toBe('conda-env-runnable-py');
    await expect(page.locator('.jp-Notification-Toast-info, .Toastify__toast').first()).toContainText('runnable');
    expect(await printedPrefix(page)).toBe(fs.realpathSync(runnable.prefix));
    await autoSwitch(page, false);
  });

  test('auto-switch asks before replacing a kernel that was already running', async ({ page, tmpPath }) => {
    await autoSwitch(page, true);
    const notebook = await uploadProject(page, tmpPath);
    // A session that exists before the notebook opens: its kernel may hold state, so it is never replaced silently.
    await page.evaluate(async (path: string) => {
      await window.jupyterapp.serviceManager.sessions.startNew({
        path,
        name: 'train.ipynb',
        type: 'notebook',
        kernel: { name: 'python3' }
      });
    }, notebook);
    await page.notebook.openByPath(notebook);
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('runnable');
    await dialog.getByRole('button', { name: /Keep/ }).click();
    await expect(dialog).toHaveCount(0);
    // Still the kernel that was running, a while after the answer.
    await page.waitForTimeout(1000);
    expect(await kernelOf(page)).toBe('python3');
    await autoSwitch(page, false);
  });

  test('the toolbar shows the kernel\'s environment and reveals it in the panel', async ({ page }) => {
    await page.notebook.createNew('indicator.ipynb', { kernel: 'conda-env-gpu_vars-py' });
    const indicator = page.locator(INDICATOR).first();
    await expect(indicator).toContainText('gpu_vars');
    await indicator.click();
    await expect(page.locator(PANEL)).toBeVisible();
    const row = page.locator(`${PANEL} [data-env-name="gpu_vars"]`);
    await expect(row.locator('[aria-expanded]').first()).toHaveAttribute('aria-expanded', 'true');
    await expect(row).toBeInViewport();
    // Switching the kernel moves the indicator with it.
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('conda-envs:use-kernel', { kernelName: 'conda-env-runnable-py' });
    });
    await expect(indicator).toContainText('runnable');
  });
});

import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expand, openPanel, PANEL, row } from './environments';
import { loadManifest } from './manifest';
import { kernelOf } from './notebook';

const manifest = loadManifest();
const DRIFT = `${PANEL} .jp-CondaEnvs-Drift`;

/**
 * The prefix and first kernel of an environment as the server lists them.
 */
async function listed(page: IJupyterLabPageFixture, name: string): Promise<{ prefix: string; kernel: string }> {
  return page.evaluate(async (wanted: string) => {
    const settings = window.jupyterapp.serviceManager.serverSettings;
    const response = await fetch(`${settings.baseUrl}conda-envs/environments`);
    const data = (await response.json()) as {
      environments: { name: string; prefix: string; kernels: { name: string }[] }[];
    };
    const env = data.environments.find(e => e.name === wanted);
    if (!env || env.kernels.length === 0) {
      throw new Error(`${wanted} is not listed with a kernel`);
    }
    return { prefix: env.prefix, kernel: env.kernels[0].name };
  }, name);
}

/**
 * Real pip, run by the environment's own interpreter, from the fixture's local wheels.
 */
function pip(prefix: string, ...args: string[]): void {
  execFileSync(
    path.join(prefix, 'bin', 'python'),
    ['-m', 'pip', '--disable-pip-version-check', ...args],
    { env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore', PIP_NO_INDEX: '1' }, stdio: 'pipe' }
  );
}

async function snapshotRecord(page: IJupyterLabPageFixture): Promise<Record<string, unknown> | null> {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as unknown as {
      model?: { getMetadata: (key: string) => unknown } | null;
    } | null;
    const value = widget?.model?.getMetadata('conda_envs') as { snapshot?: Record<string, unknown> } | undefined;
    return value?.snapshot ?? null;
  });
}

test.describe('Snapshots and drift', () => {
  test('snapshot beside the notebook, then the drift after a pip install', async ({ page, tmpPath }) => {
    const { prefix, kernel } = await listed(page, 'drift_lab');
    const notebook = `${tmpPath}/train.ipynb`;
    await page.notebook.createNew('train.ipynb');
    await page.evaluate(async (kernelName: string) => {
      await window.jupyterapp.commands.execute('conda-envs:use-kernel', { kernelName });
    }, kernel);
    await expect.poll(() => kernelOf(page)).toBe(kernel);

    await page.locator('.jp-NotebookPanel-toolbar .jp-CondaEnvs-SnapshotButton').click();
    const file = `${tmpPath}/train.environment.yml`;
    await expect.poll(() => page.contents.fileExists(file)).toBe(true);
    await expect.poll(() => snapshotRecord(page)).toMatchObject({
      environment: 'drift_lab',
      mode: 'history',
      file: 'train.environment.yml'
    });
    const record = await snapshotRecord(page);
    expect(String(record?.digest)).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The record was saved with the notebook (it had no other changes).
    expect(await page.contents.fileExists(notebook)).toBe(true);

    await openPanel(page);
    await expect(page.locator(DRIFT)).toHaveAttribute('data-status', 'same');

    // A second snapshot asks before replacing the file; cancelling keeps it.
    await page.locator('.jp-NotebookPanel-toolbar .jp-CondaEnvs-SnapshotButton').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('train.environment.yml');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);

    try {
      pip(prefix, 'install', '--find-links', manifest.paths.wheels, 'mdurl');
      await page.evaluate(async () => {
        await window.jupyterapp.commands.execute('conda-envs:refresh');
      });
      const banner = page.locator(DRIFT);
      await expect(banner).toHaveAttribute('data-status', 'changed');
      await expect(banner).toContainText('Changed since snapshot');
      await banner.getByRole('button', { name: 'Show differences' }).click();
      await expect(banner.locator('.jp-CondaEnvs-Diff')).toContainText('mdurl');
      await expect(banner.locator('.jp-CondaEnvs-Diff')).toContainText('0.1.2');
    } finally {
      pip(prefix, 'uninstall', '--yes', 'mdurl');
    }
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('conda-envs:refresh');
    });
    await expect(page.locator(DRIFT)).toHaveAttribute('data-status', 'same');
  });

  test('compare an environment.yml of the workspace with an environment', async ({ page, tmpPath }) => {
    await page.contents.uploadContent(
      'name: pip_shadow\nchannels:\n  - defaults\ndependencies:\n  - python=3.11\n  - numpy=1.21.0\n  - scipy\n',
      'text',
      `${tmpPath}/wanted.yml`
    );
    await page.filebrowser.openDirectory(tmpPath);
    await page.locator('.jp-DirListing-item', { hasText: 'wanted.yml' }).click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Compare with Conda Environment…' }).click();
    const dialog = page.locator('.jp-Dialog');
    // The environment the file names is chosen already.
    await expect(dialog.locator('select option:checked')).toContainText('pip_shadow');
    await dialog.getByRole('button', { name: 'Compare' }).click();

    const view = page.locator('.jp-CondaEnvs-Compare-body[data-status="ready"]');
    await expect(view).toContainText('wanted.yml');
    const diff = view.locator('.jp-CondaEnvs-Diff');
    // numpy: the file pins 1.21.0, the env has 1.24.3; scipy is named but not installed.
    await expect(diff).toContainText('1.21.0');
    await expect(diff).toContainText('1.24.3');
    await expect(diff).toContainText('scipy');
  });

  test('export from the panel into the workspace', async ({ page, tmpPath }) => {
    await page.filebrowser.openDirectory(tmpPath);
    await openPanel(page);
    await expand(page, 'pip_shadow');
    await row(page, 'pip_shadow').getByRole('button', { name: 'Export…' }).click();
    const dialog = page.locator('.jp-Dialog');
    const preview = dialog.locator('.jp-CondaEnvs-Export-preview');
    await expect(preview).toHaveAttribute('data-status', 'ready');
    await expect(preview).toContainText('name: pip_shadow');
    await expect(preview).toContainText('numpy==1.26.4');
    await dialog.locator('select').selectOption('explicit');
    await expect(preview).toContainText('@EXPLICIT');
    await dialog.getByRole('button', { name: 'Save to Workspace' }).click();
    await expect.poll(() => page.contents.fileExists(`${tmpPath}/pip_shadow.explicit.txt`)).toBe(true);

    // Or downloaded, in the mode chosen.
    await row(page, 'pip_shadow').getByRole('button', { name: 'Export…' }).click();
    await expect(preview).toHaveAttribute('data-status', 'ready');
    await dialog.locator('select').selectOption('full');
    await expect(preview).toContainText('numpy=1.24.3=');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download' }).click()
    ]);
    expect(download.suggestedFilename()).toBe('pip_shadow.environment.yml');
    const text = fs.readFileSync(await download.path(), 'utf-8');
    expect(text).toContain('name: pip_shadow');
    expect(text).toContain('numpy=1.24.3=');
    expect(text).not.toContain('prefix:');
  });
});

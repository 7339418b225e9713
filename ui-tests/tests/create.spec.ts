import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { openPanel, PANEL, row } from './environments';
import { loadManifest } from './manifest';
import { kernelOf } from './notebook';

const JOB = `${PANEL} .jp-CondaEnvs-Job`;

async function openCreateDialog(page: IJupyterLabPageFixture, tmpPath: string, file: string, text: string): Promise<void> {
  await page.contents.uploadContent(text, 'text', `${tmpPath}/${file}`);
  await page.filebrowser.openDirectory(tmpPath);
  await page.locator('.jp-DirListing-item', { hasText: file }).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Create Conda Environment' }).click();
  await expect(page.locator('.jp-Dialog .jp-CondaEnvs-Create-plan')).toBeVisible();
}

function acceptButton(page: IJupyterLabPageFixture) {
  return page.locator('.jp-Dialog .jp-Dialog-footer .jp-mod-accept');
}

async function prefixOf(page: IJupyterLabPageFixture, name: string): Promise<string | null> {
  return page.evaluate(async (wanted: string) => {
    const settings = window.jupyterapp.serviceManager.serverSettings;
    const response = await fetch(`${settings.baseUrl}conda-envs/environments`);
    const data = (await response.json()) as { environments: { name: string; prefix: string }[] };
    return data.environments.find(e => e.name === wanted)?.prefix ?? null;
  }, name);
}

/**
 * Jobs and the environments they made are removed, so later tests see the fixture's environments only.
 */
function removeEnv(prefix: string | null): void {
  if (prefix) {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}

test.describe('Create an environment from a file', () => {
  test('from the file browser: what the file asks for, progress, the new environment listed', async ({
    page,
    tmpPath
  }) => {
    await openCreateDialog(
      page,
      tmpPath,
      'wanted.yml',
      'name: galata_new\nchannels:\n  - defaults\ndependencies:\n  - python=3.11\n  - numpy\n'
    );
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-CondaEnvs-Create-name')).toHaveValue('galata_new');
    await expect(dialog.locator('.jp-CondaEnvs-Create-conda')).toContainText('numpy');
    await expect(dialog.locator('.jp-CondaEnvs-Create-ipykernel')).toBeChecked();
    await expect(acceptButton(page)).toBeEnabled();
    await acceptButton(page).click();
    await expect(dialog).toHaveCount(0);

    await openPanel(page);
    const job = page.locator(JOB, { hasText: 'galata_new' });
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 30000 });
    await expect(job.locator('.jp-CondaEnvs-Job-notebook')).toBeVisible();
    await expect(row(page, 'galata_new')).toHaveCount(1);

    // Jobs survive a page reload: the server keeps them.
    await page.reload();
    await openPanel(page);
    await expect(page.locator(JOB, { hasText: 'galata_new' })).toHaveAttribute('data-status', 'succeeded');
    removeEnv(await prefixOf(page, 'galata_new'));
  });

  test('with the built-in backend from a local channel: a new notebook in the new environment runs there', async ({
    page,
    tmpPath
  }) => {
    // A real solve and install of ~30 packages, then a kernel start: more than the default 90 s on a busy machine.
    test.setTimeout(240000);
    // The fixture's `live` channel holds a python that really runs here (this machine's interpreter with venv
    // semantics) and ipykernel with its dependencies; py-rattler solves and installs them for real.
    const live = loadManifest().paths.live_channel;
    // Unique per run: a local server is reused between runs and keeps its jobs in memory.
    const name = `galata_live_${Date.now().toString(36)}`;
    const kernelName = `conda-env-${name}-py`;
    expect(live, 'the test fixture root builds the live channel').toBeTruthy();
    await openCreateDialog(
      page,
      tmpPath,
      'live.yml',
      `name: ${name}\nchannels:\n  - ${pathToFileURL(live).href}\ndependencies:\n  - python\n`
    );
    let prefix: string | null = null;
    try {
      const dialog = page.locator('.jp-Dialog');
      // The UI test server lets the user pick (`create_backend = auto` with choices): the stand-in conda first.
      const tool = dialog.getByLabel('Tool');
      await expect(tool).toHaveValue('conda');
      await tool.selectOption({ label: 'built-in (py-rattler)' });
      await expect(dialog.locator('.jp-CondaEnvs-Create-target')).toContainText('with rattler');
      await expect(acceptButton(page)).toBeDisabled();
      await dialog.getByRole('checkbox', { name: 'Allow these channels' }).check();
      await expect(acceptButton(page)).toBeEnabled();
      await acceptButton(page).click();
      await expect(dialog).toHaveCount(0);

      await openPanel(page);
      const job = page.locator(JOB, { hasText: name });
      await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: 150000 });
      prefix = await prefixOf(page, name);
      expect(prefix).not.toBeNull();
      await job.locator('.jp-CondaEnvs-Job-notebook').click();
      await expect.poll(() => kernelOf(page), { timeout: 30000 }).toBe(kernelName);
      await page.notebook.setCell(0, 'code', 'import sys, ipykernel; print(sys.prefix, ipykernel.__file__)');
      await page.notebook.runCell(0, true);
      const output = (await page.notebook.getCellTextOutput(0))?.join('').trim() ?? '';
      const [kernelPrefix, ipykernelFile] = output.split(' ');
      const made = fs.realpathSync(prefix ?? '');
      expect(kernelPrefix).toBe(made);
      // Its own ipykernel, installed from the channel, not the server's.
      expect(ipykernelFile.startsWith(`${made}/lib/`)).toBe(true);
      await page.notebook.close(true);
    } finally {
      // Whatever happened: no kernel left running from the new environment, and no environment left for the next
      // run (a local server is reused between runs).
      await page.evaluate(async (wanted: string) => {
        const kernels = window.jupyterapp.serviceManager.kernels;
        await kernels.refreshRunning();
        for (const kernel of [...kernels.running()]) {
          if (kernel.name === wanted) {
            await kernels.shutdown(kernel.id);
          }
        }
      }, kernelName);
      removeEnv(prefix ?? (await prefixOf(page, name)));
    }
  });

  test('a risky pip section needs an explicit opt-in', async ({ page, tmpPath }) => {
    await openCreateDialog(
      page,
      tmpPath,
      'risky.yml',
      'name: risky_env\ndependencies:\n  - python=3.11\n  - pip:\n    - -e git+https://github.com/org/repo#egg=repo\n'
    );
    const dialog = page.locator('.jp-Dialog');
    const risk = dialog.locator('.jp-CondaEnvs-Create-risk');
    await expect(risk).toContainText('git+https://github.com/org/repo');
    await expect(acceptButton(page)).toBeDisabled();
    for (const box of await risk.locator('input[type="checkbox"]').all()) {
      await box.check();
    }
    await expect(acceptButton(page)).toBeEnabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(JOB, { hasText: 'risky_env' })).toHaveCount(0);
  });

  test('cancel a running create', async ({ page, tmpPath }) => {
    await openCreateDialog(
      page,
      tmpPath,
      'slow.yml',
      'name: slow_env\nchannels:\n  - defaults\ndependencies:\n  - python=3.11\n'
    );
    // The panel behind the dialog, so the job's first progress is seen as the user sees it.
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('conda-envs:show-panel');
    });
    const job = page.locator(JOB, { hasText: 'slow_env' });
    const started = Date.now();
    await acceptButton(page).click();
    // The stand-in writes one progress record, then hangs: a percentage on the bar is that record.
    await expect(job.locator('.jp-CondaEnvs-Job-phase')).toContainText('%', { timeout: 30000 });
    const firstProgressMs = Date.now() - started;
    const out = path.resolve(__dirname, '..', 'test-results', 'create-time.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ submitToFirstProgressMs: firstProgressMs }));
    console.log(`create: submit to the first progress shown in the panel ${firstProgressMs} ms`);
    await expect(job).toHaveAttribute('data-status', 'running');
    await job.locator('.jp-CondaEnvs-Job-cancel').click();
    await expect(job).toHaveAttribute('data-status', 'cancelled', { timeout: 30000 });
    await expect(row(page, 'slow_env')).toHaveCount(0);
  });
});

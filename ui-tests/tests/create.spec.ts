import { expect, test } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { openPanel, PANEL, row } from './environments';

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

import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { envNamed, loadManifest, scratchEnvs } from './manifest';
import { expand, openPanel, PANEL, row } from './environments';
import { kernelOf } from './notebook';

const manifest = loadManifest();

test.describe('Conda Environments panel', () => {
  test('lists the fixture environments with their facts', async ({ page }) => {
    await openPanel(page);
    for (const env of manifest.envs) {
      if (env.kind === 'project') {
        continue; // the UI test server's root is an empty temp folder
      }
      await expect(row(page, env.kind === 'path' ? env.prefix : env.name)).toHaveCount(1);
    }
    const glm = row(page, 'glm_finetune');
    await expect(glm).toContainText('3.10');
    await expect(glm).toContainText('named');
    await expect(row(page, 'runnable')).toContainText('Python [conda env:runnable]');
  });

  test('the filter box narrows the list', async ({ page }) => {
    await openPanel(page);
    await page.locator(`${PANEL} input[type="search"]`).first().fill('legacy');
    await expect(row(page, 'legacy_bert')).toBeVisible();
    await expect(row(page, 'glm_finetune')).toHaveCount(0);
    await page.locator(`${PANEL} input[type="search"]`).first().fill('');
    await expect(row(page, 'glm_finetune')).toBeVisible();
  });

  test('expanding shows packages with pip, editable and conflict tags', async ({ page }) => {
    await openPanel(page);
    await expand(page, 'pip_shadow');
    const shadow = row(page, 'pip_shadow');
    const numpyRows = shadow.locator('[data-package-name="numpy"]');
    await expect(numpyRows).toHaveCount(2);
    await expect(shadow.locator('.jp-CondaEnvs-PackageTable-tag-conflict')).toHaveCount(2);
    await expect(numpyRows.nth(1).locator('.jp-CondaEnvs-PackageTable-tag-pip')).toHaveCount(1);

    await expand(page, 'runnable');
    await expect(row(page, 'runnable').locator('.jp-CondaEnvs-PackageTable-tag-editable')).toHaveCount(1);

    await expand(page, 'glm_finetune');
    const glm = row(page, 'glm_finetune');
    await glm.locator('input[type="search"]').fill('transformers');
    await expect(glm.locator('[data-package-name="transformers"]')).toContainText('4.35.2');
    await expect(glm.locator('[data-package-name="transformers"] .jp-CondaEnvs-PackageTable-tag-pip')).toHaveCount(1);
  });

  test('an environment without ipykernel shows the command that adds it', async ({ page }) => {
    await openPanel(page);
    await expand(page, 'no_kernel');
    const prefix = envNamed(manifest, 'no_kernel').prefix;
    await expect(row(page, 'no_kernel')).toContainText(`conda install -p '${prefix}' ipykernel`);
  });

  test('switches the open notebook to the runnable env and runs a cell there', async ({ page }) => {
    const runnable = envNamed(manifest, 'runnable');
    // Start on the server's own kernel, so the click really changes something.
    await page.notebook.createNew('switch.ipynb', { kernel: 'python3' });
    await expect.poll(() => kernelOf(page)).toBe('python3');
    await page.notebook.setCell(0, 'code', 'import sys; print(sys.prefix)');
    await openPanel(page);
    await expand(page, 'runnable');
    await row(page, 'runnable').getByRole('button', { name: 'Use in this notebook' }).click();
    await expect.poll(() => kernelOf(page)).toBe('conda-env-runnable-py');
    await expect(row(page, 'runnable')).toHaveClass(/jp-mod-active/);
    await page.notebook.runCell(0, true);
    const output = await page.notebook.getCellTextOutput(0);
    expect(output?.join('').trim()).toBe(fs.realpathSync(runnable.prefix));
  });

  test('"New notebook" opens a notebook on that environment\'s kernel', async ({ page }) => {
    await openPanel(page);
    await expand(page, 'runnable');
    await row(page, 'runnable').getByRole('button', { name: 'New notebook' }).click();
    await expect.poll(() => kernelOf(page)).toBe('conda-env-runnable-py');
    await expect(page.locator('.jp-CondaEnvs-KernelEnvIndicator-button').first()).toContainText('runnable');
    await expect(row(page, 'runnable')).toHaveClass(/jp-mod-active/);
  });

  test('without the server extension the panel says how to enable it', async ({ page }) => {
    // The answer jupyter_server gives for a route no extension registered.
    await page.route(/\/conda-envs\/environments(\?.*)?$/, route =>
      route.fulfill({ status: 404, contentType: 'text/html', body: '<h1>404: Not Found</h1>' })
    );
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('conda-envs:show-panel');
    });
    const missing = page.locator(`${PANEL} .jp-CondaEnvs-EnvironmentList-serverMissing`);
    await expect(missing).toBeVisible();
    await expect(missing).toContainText('jupyter server extension enable jupyterlab_conda_envs');
  });

  test('screenshot for the README', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.notebook.createNew('train.ipynb', { kernel: 'conda-env-runnable-py' });
    await openPanel(page);
    await page.sidebar.setWidth(520, 'left');
    await expand(page, 'pip_shadow');
    const shadow = row(page, 'pip_shadow');
    await shadow.locator('input[type="search"]').fill('num');
    await expect(shadow.locator('[data-package-name="numpy"]')).toHaveCount(2);
    await shadow.locator('[data-package-name="numpy"]').last().scrollIntoViewIfNeeded();
    // The README's picture is refreshed on request; ordinary runs leave the tracked file alone.
    const target = process.env.CONDA_ENVS_UPDATE_SCREENSHOT
      ? path.resolve(__dirname, '..', '..', 'docs', 'images', 'panel.png')
      : path.resolve(__dirname, '..', 'test-results', 'panel.png');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await page.screenshot({ path: target });
    expect(fs.statSync(target).size).toBeGreaterThan(20000);
  });
});

test.describe('Render time', () => {
  test('reports how long the panel takes to render every environment', async ({ page }) => {
    const rows = page.locator(`${PANEL} [data-env-name]`);
    const expected = manifest.envs.filter(e => e.kind !== 'project').length + scratchEnvs(manifest).length;
    const started = Date.now();
    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('conda-envs:show-panel');
    });
    await expect(rows).toHaveCount(expected);
    const firstShow = Date.now() - started;

    // Re-rendering every row with no request in between: the panel's own render cost.
    const filter = page.locator(`${PANEL} input[type="search"]`).first();
    await filter.fill('no environment has this name');
    await expect(rows).toHaveCount(0);
    const rerender = await page.evaluate(async (selector: string) => {
      const input = document.querySelector<HTMLInputElement>(selector)!;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      const start = performance.now();
      setter.call(input, '');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise<void>(resolve => {
        const check = (): void => {
          if (document.querySelectorAll('.jp-CondaEnvs-Panel [data-env-name]').length > 0) {
            requestAnimationFrame(() => resolve());
          } else {
            requestAnimationFrame(check);
          }
        };
        check();
      });
      return performance.now() - start;
    }, `${PANEL} input[type="search"]`);
    await expect(rows).toHaveCount(expected);

    const out = path.resolve(__dirname, '..', 'test-results', 'render-time.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const report = { environments: expected, firstShowMs: firstShow, rerenderMs: Math.round(rerender) };
    fs.writeFileSync(out, JSON.stringify(report));
    console.log(
      `render: ${expected} environments; first show (incl. the cold listing request) ${firstShow} ms, ` +
        `re-render of every row ${Math.round(rerender)} ms`
    );
  });
});

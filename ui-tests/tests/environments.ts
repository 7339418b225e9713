/**
 * The Conda Environments panel as the UI tests drive it: open it, find an environment's row, expand it.
 */
import { expect } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';

export const PANEL = '.jp-CondaEnvs-Panel';

export function row(page: IJupyterLabPageFixture, name: string): Locator {
  return page.locator(`${PANEL} [data-env-name="${name}"]`);
}

export async function openPanel(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('conda-envs:show-panel');
  });
  await expect(page.locator(PANEL)).toBeVisible();
  await expect(row(page, 'glm_finetune')).toBeVisible();
}

export async function expand(page: IJupyterLabPageFixture, name: string): Promise<void> {
  const header = row(page, name).locator('[aria-expanded]').first();
  await header.click();
  await expect(header).toHaveAttribute('aria-expanded', 'true');
}

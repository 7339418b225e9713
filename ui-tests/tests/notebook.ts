/**
 * What the current notebook runs, as its session context reports it (the toolbar's kernel label is JupyterLab's
 * and was seen stuck on "No Kernel" in these tests while the session had its kernel).
 */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

export async function kernelOf(page: IJupyterLabPageFixture): Promise<string | null> {
  return page.evaluate(() => {
    const widget = window.jupyterapp.shell.currentWidget as unknown as {
      sessionContext?: { session?: { kernel?: { name: string } | null } | null };
    } | null;
    return widget?.sessionContext?.session?.kernel?.name ?? null;
  });
}

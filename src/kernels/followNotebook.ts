import { JupyterFrontEnd } from '@jupyterlab/application';
import type { ISessionContext } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

import type { EnvironmentsModel } from '../environments/model';

/**
 * Keep `model.notebookOpen`, `model.activeKernelName` and
 * `model.notebookPath` in step with the current notebook, its kernel and
 * its path (a rename or move changes its project).
 */
export function followNotebook(
  tracker: INotebookTracker,
  model: EnvironmentsModel,
  onChange: () => void,
  onCurrent?: (current: NotebookPanel | null) => void
): void {
  let watched: NotebookPanel | null = null;

  const update = (): void => {
    const current = tracker.currentWidget;
    onCurrent?.(current);
    const context: ISessionContext | null = current?.sessionContext ?? null;
    model.notebookOpen = context !== null;
    model.activeKernelName = context?.session?.kernel?.name ?? null;
    model.notebookPath = current?.context.localPath ?? null;
    onChange();
  };

  const onCurrentChanged = (
    _: INotebookTracker,
    panel: NotebookPanel | null
  ): void => {
    if (watched) {
      watched.sessionContext.kernelChanged.disconnect(update);
      watched.sessionContext.sessionChanged.disconnect(update);
      watched.context.pathChanged.disconnect(update);
    }
    watched = panel;
    if (watched) {
      watched.sessionContext.kernelChanged.connect(update);
      watched.sessionContext.sessionChanged.connect(update);
      watched.context.pathChanged.connect(update);
    }
    update();
  };

  tracker.currentChanged.connect(onCurrentChanged);
  onCurrentChanged(tracker, tracker.currentWidget);
}

/**
 * Ask JupyterLab to read the kernelspecs again: the launcher and kernel
 * picker cache them, so an environment created or removed since shows up
 * only after this.
 */
export async function refreshSpecs(app: JupyterFrontEnd): Promise<void> {
  try {
    await app.serviceManager.kernelspecs.refreshSpecs();
  } catch (reason) {
    // The kernelspec manager polls on its own: it catches up later.
    console.warn('Could not refresh the kernelspecs', reason);
  }
}

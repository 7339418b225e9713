import type { IDefaultFileBrowser } from '@jupyterlab/filebrowser';

/**
 * The file browser items that environment files' context menu entries
 * (create from file, compare with an environment) are on.
 */
export const YAML_ITEM_SELECTOR = '.jp-DirListing-item[data-file-type="yaml"]';

/**
 * The first file selected in the file browser, if it is an environment file
 * (`.yml` or `.yaml`): what a context menu entry on it acts on.
 */
export function selectedYamlPath(
  browser: IDefaultFileBrowser | null
): string | null {
  const item = browser?.selectedItems().next();
  if (!item || item.done || !item.value) {
    return null;
  }
  const path = item.value.path;
  return /\.ya?ml$/i.test(path) ? path : null;
}

import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { TranslationBundle } from '@jupyterlab/translation';

import { selectedYamlPath, YAML_ITEM_SELECTOR } from '../../core/selectedFile';
import type {
  EnvironmentsClient,
  EnvironmentSummary
} from '../../environments/api';
import { diffPackages, fromPackages, fromSpecEntries } from '../drift/diff';
import type { EnvironmentsModel } from '../../environments/model';
import { CompareWidget } from './compareWidget';
import { pickEnvironment } from './environmentPicker';
import type { ExportClient } from '../api';

/**
 * The command ids of the comparisons.
 */
export namespace CompareCommandIDs {
  export const compareEnvironments = 'conda-envs:compare-environments';
  export const compareFile = 'conda-envs:compare-file';
}

/**
 * "Compare with…" of an environment row, and "Compare with Environment…"
 * on an environment.yml in the file browser: both open the difference in a
 * main-area tab.
 */
export function addCompareCommands(
  app: JupyterFrontEnd,
  options: ICompareOptions
): void {
  const { commands, shell } = app;
  const { client, model, trans } = options;

  const open = (widget: CompareWidget): MainAreaWidget<CompareWidget> => {
    const main = new MainAreaWidget({ content: widget });
    main.id = `jp-CondaEnvs-compare-${Private.nextId()}`;
    main.title.label = widget.title.label;
    main.title.caption = widget.title.caption;
    main.title.closable = true;
    shell.add(main, 'main');
    shell.activateById(main.id);
    return main;
  };

  commands.addCommand(CompareCommandIDs.compareEnvironments, {
    label: args =>
      args['isPalette']
        ? trans.__('Compare Two Conda Environments…')
        : trans.__('Compare with…'),
    caption: trans.__('Show the package differences between two environments'),
    execute: async args => {
      await model.ensureLoaded();
      const envs = model.environments;
      let first = Private.byId(envs, args['id']);
      if (!first) {
        first = await pickEnvironment({
          title: trans.__('Compare environments'),
          label: trans.__('Compare this environment…'),
          environments: envs,
          preferredId: model.activeEnvId,
          acceptLabel: trans.__('Next'),
          trans
        });
      }
      if (!first) {
        return;
      }
      const from = first;
      let second = Private.byId(envs, args['otherId']);
      if (!second) {
        second = await pickEnvironment({
          title: trans.__('Compare %1', from.name),
          label: trans.__('…with this environment:'),
          environments: envs.filter(env => env.id !== from.id),
          preferredId: model.activeEnvId,
          trans
        });
      }
      if (!second) {
        return;
      }
      const to = second;
      return open(
        new CompareWidget({
          title: trans.__('%1 ↔ %2', from.name, to.name),
          trans,
          load: async () => {
            const [a, b] = await Promise.all([
              client.getPackages(from.id),
              client.getPackages(to.id)
            ]);
            return {
              diff: diffPackages(
                fromPackages(a.packages),
                fromPackages(b.packages),
                {
                  referenceComplete: true
                }
              ),
              referenceLabel: from.name,
              currentLabel: to.name,
              notes: []
            };
          }
        })
      );
    }
  });

  commands.addCommand(CompareCommandIDs.compareFile, {
    label: trans.__('Compare with Conda Environment…'),
    caption: trans.__(
      'Show how a conda environment differs from this environment file'
    ),
    isVisible: () => selectedYamlPath(options.fileBrowser) !== null,
    execute: async args => {
      const path =
        typeof args['path'] === 'string'
          ? args['path']
          : selectedYamlPath(options.fileBrowser);
      if (!path) {
        return;
      }
      await model.ensureLoaded();
      // Read first: the file's `name:` preselects the environment it names.
      const spec = client.getSpecFile(path);
      let named: string | null = null;
      try {
        named = (await spec).spec.name;
      } catch {
        // Reported by the tab below, which awaits the same answer.
      }
      const envs = model.environments;
      // An id given by the caller skips the question only if it is listed.
      const given = Private.byId(envs, args['id']);
      const preferred =
        given ??
        envs.find(env => named !== null && env.name === named) ??
        envs.find(env => env.id === model.activeEnvId) ??
        null;
      const env =
        given ??
        (await pickEnvironment({
          title: trans.__('Compare %1', PathExt.basename(path)),
          label: trans.__('…with this environment:'),
          environments: envs,
          preferredId: preferred?.id ?? null,
          trans
        }));
      if (!env) {
        return;
      }
      const fileLabel = PathExt.basename(path);
      return open(
        new CompareWidget({
          title: trans.__('%1 ↔ %2', fileLabel, env.name),
          trans,
          load: async () => {
            const [file, packages] = await Promise.all([
              spec,
              client.getPackages(env.id)
            ]);
            const notes = [...file.spec.problems];
            if (!file.spec.complete) {
              notes.unshift(
                trans.__(
                  '%1 names only some packages (no versions for some): packages it does not name are listed as dependencies, and unpinned ones match by name.',
                  fileLabel
                )
              );
            }
            return {
              diff: diffPackages(
                fromSpecEntries(file.spec.entries),
                fromPackages(packages.packages),
                { referenceComplete: file.spec.complete }
              ),
              referenceLabel: fileLabel,
              currentLabel: env.name,
              notes
            };
          }
        })
      );
    }
  });

  app.contextMenu.addItem({
    command: CompareCommandIDs.compareFile,
    selector: YAML_ITEM_SELECTOR,
    rank: 60
  });
  options.palette?.addItem({
    command: CompareCommandIDs.compareEnvironments,
    category: trans.__('Conda Environments'),
    args: { isPalette: true }
  });
}

/**
 * What the comparisons need from the plugin.
 */
export interface ICompareOptions {
  client: EnvironmentsClient & ExportClient;
  model: EnvironmentsModel;
  fileBrowser: IDefaultFileBrowser | null;
  palette?: ICommandPalette | null;
  trans: TranslationBundle;
}

namespace Private {
  let counter = 0;

  /**
   * A new id for a compare tab.
   */
  export function nextId(): number {
    counter += 1;
    return counter;
  }

  export function byId(
    envs: ReadonlyArray<EnvironmentSummary>,
    id: unknown
  ): EnvironmentSummary | null {
    return typeof id === 'string'
      ? (envs.find(env => env.id === id) ?? null)
      : null;
  }
}

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { PackageSource } from '../environments/api';
import {
  IComparable,
  IPackageChange,
  IPackageDiff,
  IVersionInfo,
  isEmpty
} from './drift/diff';

/**
 * The difference between two package sets: a one-line tally, then what
 * changed, was added and was removed. Additions a hand-written file does
 * not name (dependencies) stay folded away.
 */
export function PackageDiff(props: PackageDiff.IProps): JSX.Element {
  const { diff, referenceLabel, currentLabel, trans } = props;
  const empty = isEmpty(diff);
  const hint = { referenceLabel, currentLabel };
  return (
    <div className="jp-CondaEnvs-Diff" data-empty={String(empty)}>
      {empty && (
        <p className="jp-CondaEnvs-Diff-empty">
          {trans.__(
            'No differences between %1 and %2',
            referenceLabel,
            currentLabel
          )}
        </p>
      )}
      <p className="jp-CondaEnvs-Diff-summary">
        {Private.summary(diff, empty, trans)}
      </p>
      {diff.changed.length > 0 && (
        <ChangedTable changes={diff.changed} trans={trans} {...hint} />
      )}
      {!diff.addedAreDependencies && diff.added.length > 0 && (
        <ItemTable
          kind="added"
          title={trans.__('Added (%1)', diff.added.length)}
          hint={trans.__('in %1, not in %2', currentLabel, referenceLabel)}
          items={diff.added}
          trans={trans}
        />
      )}
      {diff.removed.length > 0 && (
        <ItemTable
          kind="removed"
          title={trans.__('Removed (%1)', diff.removed.length)}
          hint={trans.__('in %1, not in %2', referenceLabel, currentLabel)}
          items={diff.removed}
          trans={trans}
        />
      )}
      {diff.addedAreDependencies && diff.added.length > 0 && (
        <details className="jp-CondaEnvs-Diff-dependencies">
          <summary>
            {trans._n(
              '%1 more package in %2, not named in %3',
              '%1 more packages in %2, not named in %3',
              diff.added.length,
              currentLabel,
              referenceLabel
            )}
          </summary>
          <ItemTable
            kind="dependencies"
            title={trans.__('Not named (%1)', diff.added.length)}
            hint={trans.__(
              '%1 names only some packages; these are most likely their dependencies',
              referenceLabel
            )}
            items={diff.added}
            trans={trans}
          />
        </details>
      )}
    </div>
  );
}

export namespace PackageDiff {
  export interface IProps {
    diff: IPackageDiff;
    /** What the diff compares from: a snapshot, a file, an environment. */
    referenceLabel: string;
    /** What it compares to: usually the environment now. */
    currentLabel: string;
    trans: TranslationBundle;
  }

  /**
   * Rows a section shows before its "Show all" button: a large environment
   * against an unrelated one differs in thousands of packages.
   */
  export const ROW_LIMIT = 200;
}

function ChangedTable(props: {
  changes: IPackageChange[];
  referenceLabel: string;
  currentLabel: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { changes, referenceLabel, currentLabel, trans } = props;
  const [rows, more] = Private.useCap(changes, trans);
  return (
    <DiffSection
      kind="changed"
      title={trans.__('Changed (%1)', changes.length)}
      hint={trans.__('from %1 to %2', referenceLabel, currentLabel)}
      columns={[trans.__('Package'), referenceLabel, currentLabel]}
      more={more}
    >
      {rows.map(change => (
        <tr
          key={change.key}
          className="jp-CondaEnvs-Diff-row"
          data-package-key={change.key}
          data-change={change.kind}
        >
          <td className="jp-CondaEnvs-Diff-name">
            <NameCell name={change.name} source={change.source} trans={trans} />
            {change.kind === 'build' && (
              <span
                className="jp-CondaEnvs-Diff-tag jp-CondaEnvs-Diff-tag-build"
                title={trans.__('Same version, another build')}
              >
                {trans.__('build')}
              </span>
            )}
          </td>
          <VersionCell
            className="jp-CondaEnvs-Diff-from"
            text={Private.versionText(change.from, change.source)}
          />
          <VersionCell
            className="jp-CondaEnvs-Diff-to"
            text={Private.versionText(change.to, change.source)}
          />
        </tr>
      ))}
    </DiffSection>
  );
}

function ItemTable(props: {
  kind: 'added' | 'removed' | 'dependencies';
  title: string;
  hint: string;
  items: IComparable[];
  trans: TranslationBundle;
}): JSX.Element {
  const { kind, items, trans } = props;
  const [rows, more] = Private.useCap(items, trans);
  return (
    <DiffSection
      kind={kind}
      title={props.title}
      hint={props.hint}
      columns={[trans.__('Package'), trans.__('Version'), trans.__('Channel')]}
      more={more}
    >
      {rows.map(item => (
        <tr
          key={item.key}
          className="jp-CondaEnvs-Diff-row"
          data-package-key={item.key}
        >
          <td className="jp-CondaEnvs-Diff-name">
            <NameCell name={item.name} source={item.source} trans={trans} />
          </td>
          <VersionCell
            className="jp-CondaEnvs-Diff-version"
            text={
              item.version === null
                ? (item.constraint ?? trans.__('any version'))
                : Private.versionText(item, item.source)
            }
          />
          <VersionCell
            className="jp-CondaEnvs-Diff-channel"
            text={item.channel ?? ''}
          />
        </tr>
      ))}
    </DiffSection>
  );
}

/**
 * One section of the difference: a table with its caption (title and
 * hint), its column headings and `children` as rows, then `more` (the
 * "Show all" of a capped section).
 */
function DiffSection(props: {
  kind: 'changed' | 'added' | 'removed' | 'dependencies';
  title: string;
  hint: string;
  columns: string[];
  more: React.ReactNode;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <section
      className={`jp-CondaEnvs-Diff-section jp-CondaEnvs-Diff-section-${props.kind}`}
    >
      <table className="jp-CondaEnvs-Diff-table">
        <Caption title={props.title} hint={props.hint} />
        <thead>
          <tr>
            {props.columns.map((column, index) => (
              <th key={index} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
      {props.more}
    </section>
  );
}

function Caption(props: { title: string; hint: string }): JSX.Element {
  return (
    <caption className="jp-CondaEnvs-Diff-caption">
      <span className="jp-CondaEnvs-Diff-captionTitle">{props.title}</span>{' '}
      <span className="jp-CondaEnvs-Diff-captionHint">{props.hint}</span>
    </caption>
  );
}

function NameCell(props: {
  name: string;
  source: PackageSource;
  trans: TranslationBundle;
}): JSX.Element {
  const { name, source, trans } = props;
  return (
    <>
      <span className="jp-CondaEnvs-Diff-nameText">{name}</span>
      <span className={`jp-CondaEnvs-Diff-tag jp-CondaEnvs-Diff-tag-${source}`}>
        {source === 'pypi' ? trans.__('pip') : trans.__('conda')}
      </span>
    </>
  );
}

function VersionCell(props: { className: string; text: string }): JSX.Element {
  // Narrow sidebars cut these cells short: the title keeps them readable.
  return (
    <td className={props.className} title={props.text}>
      {props.text}
    </td>
  );
}

namespace Private {
  /**
   * `3 changed, 1 added, 2 removed; 410 unchanged`, or only the tally when
   * there is no difference.
   */
  export function summary(
    diff: IPackageDiff,
    empty: boolean,
    trans: TranslationBundle
  ): string {
    const differences: string[] = [];
    if (diff.changed.length > 0) {
      differences.push(
        trans._n('%1 changed', '%1 changed', diff.changed.length)
      );
    }
    if (!diff.addedAreDependencies && diff.added.length > 0) {
      differences.push(trans._n('%1 added', '%1 added', diff.added.length));
    }
    if (diff.removed.length > 0) {
      differences.push(
        trans._n('%1 removed', '%1 removed', diff.removed.length)
      );
    }
    const tally = [trans._n('%1 unchanged', '%1 unchanged', diff.unchanged)];
    if (diff.unpinned > 0) {
      tally.push(
        trans._n(
          '%1 matched by name only',
          '%1 matched by name only',
          diff.unpinned
        )
      );
    }
    if (diff.duplicates > 0) {
      tally.push(
        trans._n(
          '%1 duplicate entry ignored',
          '%1 duplicate entries ignored',
          diff.duplicates
        )
      );
    }
    const rest = tally.join(', ');
    return empty || differences.length === 0
      ? rest
      : trans.__('%1; %2', differences.join(', '), rest);
  }

  /**
   * `1.26.4=py311h08b1b3b_0`; pip builds (`pypi_0`) say nothing.
   */
  export function versionText(
    info: IVersionInfo,
    source: PackageSource
  ): string {
    const version = info.version ?? '';
    return source === 'conda' && info.build
      ? `${version}=${info.build}`
      : version;
  }

  /**
   * The first ROW_LIMIT items and, when there are more, the button that
   * shows them all.
   */
  export function useCap<T>(
    items: T[],
    trans: TranslationBundle
  ): [T[], JSX.Element | null] {
    const [all, setAll] = React.useState(false);
    if (all || items.length <= PackageDiff.ROW_LIMIT) {
      return [items, null];
    }
    const button = (
      <button
        type="button"
        className="jp-CondaEnvs-Diff-showAll jp-Button jp-mod-styled"
        onClick={() => setAll(true)}
      >
        {trans.__('Show all %1', items.length)}
      </button>
    );
    return [items.slice(0, PackageDiff.ROW_LIMIT), button];
  }
}

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { PackageRecord } from './api';
import type { IPage } from './filters';
import { FoldedList } from './foldedList';
import type { EnvironmentsModel } from './model';

/**
 * The packages of one environment: a search box, a paged table with
 * pip/editable/conflict tags, and the problems the server met reading them.
 */
export function PackageTable(props: PackageTable.IProps): JSX.Element {
  const { state, page, search, trans } = props;
  // While reloading, keep the previous rows on screen instead of flashing.
  const showRows =
    state.status === 'loaded' ||
    (state.status === 'loading' && state.packages.length > 0);
  return (
    <div
      className="jp-CondaEnvs-PackageTable"
      aria-busy={state.status === 'loading'}
    >
      <input
        type="search"
        className="jp-CondaEnvs-PackageTable-search jp-mod-styled"
        placeholder={trans.__('Search packages')}
        aria-label={trans.__('Search packages')}
        value={search}
        onChange={event => props.onSearch(event.currentTarget.value)}
      />
      {state.status === 'loading' && (
        <div className="jp-CondaEnvs-PackageTable-status" role="status">
          {trans.__('Loading packages…')}
        </div>
      )}
      {state.status === 'error' && (
        <div className="jp-CondaEnvs-PackageTable-error" role="alert">
          {trans.__('Could not read the packages: %1', state.error)}
        </div>
      )}
      {state.errors.length > 0 && (
        <FoldedList
          className="jp-CondaEnvs-PackageTable-fileErrors"
          summary={trans._n(
            '%1 package record could not be read',
            '%1 package records could not be read',
            state.errors.length
          )}
        >
          {state.errors.map(error => (
            <li key={error.file}>
              <code>{error.file}</code>: {error.message}
            </li>
          ))}
        </FoldedList>
      )}
      {showRows && (
        <>
          <div className="jp-CondaEnvs-PackageTable-summary">
            {search.trim()
              ? trans.__(
                  '%1 of %2 packages match',
                  page.total,
                  state.packages.length
                )
              : trans._n('%1 package', '%1 packages', state.packages.length)}
          </div>
          {page.total > 0 && (
            <table className="jp-CondaEnvs-PackageTable-table">
              <thead>
                <tr>
                  <th scope="col">{trans.__('Name')}</th>
                  <th scope="col">{trans.__('Version')}</th>
                  <th scope="col">{trans.__('Build')}</th>
                  <th scope="col">{trans.__('Channel')}</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((pkg, index) => (
                  <PackageRow
                    key={`${pkg.source}:${pkg.name}:${index}`}
                    pkg={pkg}
                    trans={trans}
                  />
                ))}
              </tbody>
            </table>
          )}
          {page.pageCount > 1 && (
            <Pager page={page} trans={trans} onPage={props.onPage} />
          )}
        </>
      )}
    </div>
  );
}

export namespace PackageTable {
  export interface IProps {
    state: EnvironmentsModel.IPackagesState;
    /** The page of matching packages to show. */
    page: IPage<PackageRecord>;
    search: string;
    trans: TranslationBundle;
    onSearch: (text: string) => void;
    onPage: (page: number) => void;
  }
}

/**
 * The sentence that explains a pip/conda conflict, the same on both sides:
 * `pip numpy 1.26.4 shadows conda numpy 1.24.3`.
 */
export function conflictText(
  pkg: PackageRecord,
  trans: TranslationBundle
): string {
  return pkg.conflicts
    .map(other => {
      const pip = pkg.source === 'pypi' ? pkg : other;
      const conda = pkg.source === 'pypi' ? other : pkg;
      return trans.__(
        'pip %1 %2 shadows conda %3 %4',
        pip.name,
        pip.version,
        conda.name,
        conda.version
      );
    })
    .join('\n');
}

function PackageRow(props: {
  pkg: PackageRecord;
  trans: TranslationBundle;
}): JSX.Element {
  const { pkg, trans } = props;
  const tagClass = 'jp-CondaEnvs-PackageTable-tag';
  return (
    <tr
      className="jp-CondaEnvs-PackageTable-row"
      data-package-name={pkg.name}
      data-package-source={pkg.source}
    >
      <td className="jp-CondaEnvs-PackageTable-name">
        <span className="jp-CondaEnvs-PackageTable-nameText">{pkg.name}</span>
        {pkg.source === 'pypi' && (
          <span
            className={`${tagClass} ${tagClass}-pip`}
            title={trans.__('Installed by %1', pkg.installer || 'pip')}
          >
            {trans.__('pip')}
          </span>
        )}
        {pkg.editable && (
          <span
            className={`${tagClass} ${tagClass}-editable`}
            title={trans.__('Editable install: the code lives in a folder')}
          >
            {trans.__('editable')}
          </span>
        )}
        {pkg.conflicts.length > 0 && (
          <span
            className={`${tagClass} ${tagClass}-conflict`}
            title={conflictText(pkg, trans)}
          >
            {trans.__('conflict')}
          </span>
        )}
      </td>
      {/* Narrow sidebars cut these cells short: the title keeps them readable. */}
      <td className="jp-CondaEnvs-PackageTable-version" title={pkg.version}>
        {pkg.version}
      </td>
      <td className="jp-CondaEnvs-PackageTable-build" title={pkg.build}>
        {pkg.build}
      </td>
      <td
        className="jp-CondaEnvs-PackageTable-channel"
        title={pkg.url ?? pkg.channel}
      >
        {pkg.channel}
      </td>
    </tr>
  );
}

function Pager(props: {
  page: IPage<PackageRecord>;
  trans: TranslationBundle;
  onPage: (page: number) => void;
}): JSX.Element {
  const { page, trans, onPage } = props;
  return (
    <nav
      className="jp-CondaEnvs-PackageTable-pager"
      aria-label={trans.__('Package pages')}
    >
      <button
        type="button"
        className="jp-CondaEnvs-PackageTable-previous jp-Button jp-mod-styled"
        disabled={page.page === 0}
        onClick={() => onPage(page.page - 1)}
      >
        {trans.__('Previous')}
      </button>
      <span className="jp-CondaEnvs-PackageTable-pageLabel">
        {trans.__('Page %1 of %2', page.page + 1, page.pageCount)}
      </span>
      <button
        type="button"
        className="jp-CondaEnvs-PackageTable-next jp-Button jp-mod-styled"
        disabled={page.page >= page.pageCount - 1}
        onClick={() => onPage(page.page + 1)}
      >
        {trans.__('Next')}
      </button>
    </nav>
  );
}

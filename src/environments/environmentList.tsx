import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { CompatModel } from '../compat/compatModel';
import { EnvironmentsModel } from './model';
import { CommandSnippet } from '../core/commandSnippet';
import { EnvironmentDetails, IKernelActions } from './environmentDetails';
import { EnvironmentRow } from './environmentRow';
import { FoldedList } from './foldedList';

/**
 * The environments section: filter box, the listing's state, and one row per
 * environment, the open one with its details.
 */
export function EnvironmentList(props: EnvironmentList.IProps): JSX.Element {
  const { model, compat, trans } = props;
  const shown = model.filteredEnvironments;
  const activeId = model.activeEnvId;
  const listRef = React.useRef<HTMLUListElement>(null);
  const revealId = model.revealId;
  // Runs after every render: a reveal waits until its row is in the DOM
  // (the listing may still be loading when the toolbar asks for it).
  React.useEffect(() => {
    if (revealId === null) {
      return;
    }
    const item = Array.from(
      listRef.current?.querySelectorAll<HTMLElement>(
        '.jp-CondaEnvs-EnvironmentList-item'
      ) ?? []
    ).find(candidate => candidate.dataset.envId === revealId);
    const button = item?.querySelector<HTMLButtonElement>(
      '.jp-CondaEnvs-EnvironmentList-row'
    );
    if (!button) {
      return;
    }
    model.revealDone(revealId);
    // Not every DOM has it (jsdom does not).
    if (typeof button.scrollIntoView === 'function') {
      button.scrollIntoView({ block: 'start' });
    }
    button.focus();
  });
  return (
    <div
      className="jp-CondaEnvs-EnvironmentList"
      aria-busy={model.isRefreshing}
    >
      <input
        type="search"
        className="jp-CondaEnvs-EnvironmentList-filter jp-mod-styled"
        placeholder={trans.__('Filter environments')}
        aria-label={trans.__('Filter environments')}
        value={model.filter}
        onChange={event => {
          model.filter = event.currentTarget.value;
        }}
      />
      <ListStatus model={model} trans={trans} />
      {shown.length > 0 && (
        <ul
          ref={listRef}
          className="jp-CondaEnvs-EnvironmentList-items"
          aria-label={trans.__('Conda environments')}
        >
          {shown.map(env => {
            const expanded = model.expandedId === env.id;
            const active = activeId === env.id;
            const detailsId = `jp-CondaEnvs-details-${env.id}`;
            return (
              <li
                key={env.id}
                className={
                  'jp-CondaEnvs-EnvironmentList-item' +
                  (active ? ' jp-mod-active' : '') +
                  (expanded ? ' jp-mod-expanded' : '')
                }
                data-env-name={env.name}
                data-env-id={env.id}
                data-active={active ? 'true' : undefined}
              >
                <EnvironmentRow
                  env={env}
                  expanded={expanded}
                  active={active}
                  detailsId={detailsId}
                  onToggle={() => model.toggleExpanded(env.id)}
                  compat={compat?.analysisOf(env.id)}
                  trans={trans}
                />
                {expanded && (
                  <EnvironmentDetails
                    id={detailsId}
                    env={env}
                    notebookOpen={model.notebookOpen}
                    activeKernelName={model.activeKernelName}
                    actions={props.actions}
                    packages={model.packagesOf(env.id)}
                    packagePage={model.packagePageOf(env.id)}
                    packageSearch={model.packageSearch}
                    onPackageSearch={text => {
                      model.packageSearch = text;
                    }}
                    onPackagePage={page => {
                      model.packagePage = page;
                    }}
                    compat={
                      compat && {
                        analysis: compat.analysisOf(env.id),
                        probe: compat.probeOf(env.id),
                        onProbe: () => void compat.probe(env.id)
                      }
                    }
                    trans={trans}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {model.skipped.length > 0 && (
        <FoldedList
          className="jp-CondaEnvs-EnvironmentList-skipped"
          summary={trans._n(
            '%1 location was not listed',
            '%1 locations were not listed',
            model.skipped.length
          )}
        >
          {model.skipped.map((skipped, index) => (
            <li key={index}>
              <code>{skipped.path}</code> ({skipped.source}): {skipped.reason}
            </li>
          ))}
        </FoldedList>
      )}
    </div>
  );
}

export namespace EnvironmentList {
  export interface IProps {
    model: EnvironmentsModel;
    actions: IKernelActions;
    /** Compatibility badges and sections; none when undefined. */
    compat?: CompatModel;
    trans: TranslationBundle;
  }
}

/**
 * Loading, failure and empty states of the listing.
 */
function ListStatus(props: {
  model: EnvironmentsModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { model, trans } = props;
  switch (model.status) {
    case 'idle':
    case 'loading':
      return (
        <div className="jp-CondaEnvs-EnvironmentList-loading" role="status">
          {trans.__('Looking for conda environments…')}
        </div>
      );
    case 'server-extension-missing':
      return (
        <div
          className="jp-CondaEnvs-EnvironmentList-error jp-CondaEnvs-EnvironmentList-serverMissing"
          role="alert"
        >
          <p>{model.error}</p>
          <CommandSnippet
            command={EnvironmentsModel.ENABLE_COMMAND}
            trans={trans}
          />
        </div>
      );
    case 'error':
      return (
        <div className="jp-CondaEnvs-EnvironmentList-error" role="alert">
          {model.error}
        </div>
      );
    case 'loaded':
      if (model.environments.length === 0) {
        return (
          <div className="jp-CondaEnvs-EnvironmentList-empty">
            {trans.__('No conda environments were found.')}
          </div>
        );
      }
      if (model.filteredEnvironments.length === 0) {
        return (
          <div className="jp-CondaEnvs-EnvironmentList-empty">
            {trans.__('No environment matches “%1”.', model.filter)}
          </div>
        );
      }
      return null;
  }
}

import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { DriftModel } from './driftModel';
import { PackageDiff } from '../packageDiff';

/**
 * Whether the current notebook's environment still matches its recorded
 * snapshot: nothing without a snapshot, a quiet line when it matches, a
 * warning with the difference when it has changed.
 */
export function DriftBanner(props: DriftBanner.IProps): JSX.Element | null {
  const { state, trans } = props;
  const [open, setOpen] = React.useState(false);
  if (state.status === 'none') {
    return null;
  }
  const { snapshot } = state;
  const when = snapshot.created
    ? snapshot.created.replace('T', ' ').replace('Z', ' UTC')
    : '';
  const described = trans.__(
    'Snapshot of %1 (%2) in %3%4',
    snapshot.environment,
    snapshot.mode,
    snapshot.file,
    when ? trans.__(', %1', when) : ''
  );
  let body: JSX.Element;
  switch (state.status) {
    case 'no-environment':
      body = (
        <p className="jp-CondaEnvs-Drift-line">
          {trans.__(
            "This notebook's kernel does not run in a listed conda environment; it cannot be compared with the snapshot."
          )}
        </p>
      );
      break;
    case 'checking':
      body = (
        <p className="jp-CondaEnvs-Drift-line" role="status">
          {trans.__('Comparing %1 with the snapshot…', state.environment.name)}
        </p>
      );
      break;
    case 'error':
      body = (
        <p className="jp-CondaEnvs-Drift-line" role="alert">
          {trans.__('Could not compare with the snapshot: %1', state.message)}
        </p>
      );
      break;
    case 'same':
      body = (
        <p className="jp-CondaEnvs-Drift-line">
          {trans.__('%1 matches the snapshot.', state.environment.name)}
        </p>
      );
      break;
    case 'changed':
      body = (
        <>
          <p className="jp-CondaEnvs-Drift-line jp-CondaEnvs-Drift-changed">
            <strong>{trans.__('Changed since snapshot')}</strong>{' '}
            {state.environment.name !== snapshot.environment
              ? trans.__(
                  'The kernel runs %1, the snapshot is of %2.',
                  state.environment.name,
                  snapshot.environment
                )
              : ''}
          </p>
          {state.diff ? (
            <>
              <button
                type="button"
                className="jp-CondaEnvs-Drift-toggle jp-Button jp-mod-styled jp-mod-reject"
                aria-expanded={open}
                onClick={() => setOpen(!open)}
              >
                {open
                  ? trans.__('Hide differences')
                  : trans.__('Show differences')}
              </button>
              {open && (
                <PackageDiff
                  diff={state.diff}
                  referenceLabel={snapshot.file}
                  currentLabel={state.environment.name}
                  trans={trans}
                />
              )}
            </>
          ) : (
            <p className="jp-CondaEnvs-Drift-line" role="alert">
              {trans.__(
                'The snapshot file could not be read, so the differences are unknown: %1',
                state.fileError
              )}
            </p>
          )}
        </>
      );
      break;
  }
  return (
    <section
      className="jp-CondaEnvs-Drift"
      data-status={state.status}
      aria-label={trans.__('Environment snapshot')}
    >
      <div className="jp-CondaEnvs-Drift-header">
        <span className="jp-CondaEnvs-Drift-title" title={described}>
          {described}
        </span>
        {props.onSnapshot && (
          <button
            type="button"
            className="jp-CondaEnvs-Drift-resnapshot jp-Button jp-mod-styled jp-mod-reject"
            title={trans.__(
              'Write a new snapshot of the environment as it is now'
            )}
            onClick={props.onSnapshot}
          >
            {trans.__('Snapshot again')}
          </button>
        )}
      </div>
      {body}
    </section>
  );
}

export namespace DriftBanner {
  export interface IProps {
    state: DriftModel.State;
    /** Take a new snapshot (replacing the recorded one). */
    onSnapshot?: () => void;
    trans: TranslationBundle;
  }
}

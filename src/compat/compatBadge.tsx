import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { CompatModel } from './compatModel';
import { CompatStatus, compatStatusOf, worstVerdict } from './compatStatus';

/**
 * The compatibility of one environment on this machine, at a glance: a
 * small label in its row, with the worst verdict as its accessible name.
 */
export function CompatBadge(props: CompatBadge.IProps): JSX.Element | null {
  const { state, trans } = props;
  if (!state) {
    return null;
  }
  const status = compatStatusOf(state);
  const summary = CompatBadge.summary(state, trans);
  return (
    <span
      className="jp-CondaEnvs-CompatBadge"
      data-status={status}
      // Inside the row's button: role img makes the summary part of the
      // button's accessible name instead of the short visible label.
      role="img"
      aria-label={summary}
      title={summary}
    >
      {Private.nothingToJudge(state)
        ? trans.__('n/a')
        : Private.label(status, trans)}
    </span>
  );
}

export namespace CompatBadge {
  export interface IProps {
    /** Undefined until the model follows the listing: no badge. */
    state: CompatModel.IAnalysisState | undefined;
    trans: TranslationBundle;
  }

  /**
   * One sentence for the badge's title and accessible name: the status and
   * the worst verdict behind it.
   */
  export function summary(
    state: CompatModel.IAnalysisState,
    trans: TranslationBundle
  ): string {
    switch (state.status) {
      case 'loading':
        return trans.__('Compatibility: checking…');
      case 'error':
        return trans.__('Compatibility unknown: %1', state.error);
      case 'done':
        break;
    }
    if (Private.nothingToJudge(state)) {
      return trans.__('Compatibility: nothing to check (no GPU framework)');
    }
    const analysis = state.analysis;
    const worst = analysis ? worstVerdict(analysis.verdicts) : null;
    const status = compatStatusOf(state);
    if (!analysis || !worst || worst.severity === 'ok') {
      return status === 'unknown'
        ? trans.__('Compatibility unknown')
        : trans.__('Compatibility: no problems found');
    }
    const more = analysis.verdicts.filter(
      verdict => verdict !== worst && verdict.severity !== 'ok'
    ).length;
    const head =
      worst.severity === 'error'
        ? trans.__('Compatibility error: %1', trans.__(worst.title))
        : worst.severity === 'warning'
          ? trans.__('Compatibility warning: %1', trans.__(worst.title))
          : trans.__('Compatibility note: %1', trans.__(worst.title));
    return more > 0
      ? trans._n('%2 (and %1 more)', '%2 (and %1 more)', more, head)
      : head;
  }
}

namespace Private {
  /**
   * Most environments hold no GPU framework: the engine has nothing to say,
   * which is no reason to look worried.
   */
  export function nothingToJudge(state: CompatModel.IAnalysisState): boolean {
    return (
      state.status === 'done' &&
      state.analysis !== null &&
      state.analysis.status === 'unknown' &&
      state.analysis.verdicts.length === 0
    );
  }

  export function label(
    status: CompatStatus,
    trans: TranslationBundle
  ): string {
    switch (status) {
      case 'ok':
        return trans.__('ok');
      case 'warning':
        return trans.__('warning');
      case 'error':
        return trans.__('error');
      case 'unknown':
        return trans.__('unknown');
      case 'loading':
        return trans.__('checking…');
    }
  }
}

import type { IVerdict } from '.';
import type { CompatModel } from './compatModel';

/*
 * How the panel sums up an environment's compatibility: one status for the
 * badge, and the verdict that decides it.
 */

/**
 * A badge's status: the engine's, or `loading` while it has no answer yet.
 */
export type CompatStatus = 'ok' | 'warning' | 'error' | 'unknown' | 'loading';

const RANK: Readonly<Record<IVerdict['severity'], number>> = {
  error: 3,
  warning: 2,
  info: 1,
  ok: 0
};

/**
 * The status to show for an environment's analysis state.
 */
export function compatStatusOf(
  state: CompatModel.IAnalysisState
): CompatStatus {
  switch (state.status) {
    case 'loading':
      return 'loading';
    case 'error':
      return 'unknown';
    case 'done':
      return state.analysis?.status ?? 'unknown';
  }
}

/**
 * The most severe verdict (the first of equals, the engine's order); null
 * when there are none.
 */
export function worstVerdict(verdicts: readonly IVerdict[]): IVerdict | null {
  let worst: IVerdict | null = null;
  for (const verdict of verdicts) {
    if (worst === null || RANK[verdict.severity] > RANK[worst.severity]) {
      worst = verdict;
    }
  }
  return worst;
}

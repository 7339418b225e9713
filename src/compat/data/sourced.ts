/*
 * What every data row carries: where the fact comes from and whether it is
 * certain. Keys are those of shared/reference/cuda-compat.md ("N1", "T1", …);
 * `verified: false` marks the rows flagged ⚠ there, which the UI shows as
 * unverified instead of stating them as certain.
 */

/**
 * The provenance of one fact.
 */
export interface ISourced {
  sources: string[];
  verified: boolean;
}

/**
 * The provenance of facts used together: all their sources, verified only
 * if each one is.
 */
export function combine(...facts: ISourced[]): ISourced {
  const sources: string[] = [];
  for (const fact of facts) {
    for (const key of fact.sources) {
      if (!sources.includes(key)) {
        sources.push(key);
      }
    }
  }
  return { sources, verified: facts.every(fact => fact.verified) };
}

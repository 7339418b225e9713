import { JAX_PYTHON_FIRST, JAX_PYTHON_FLOORS } from './data/jaxReleases';
import { PYTORCH_RELEASES } from './data/pytorchReleases';
import type { ISourced } from './data/sourced';
import { TENSORFLOW_RELEASES } from './data/tensorflowReleases';
import { TRANSFORMERS_RELEASES } from './data/transformersReleases';
import type { IFramework } from './frameworks';
import { compareVersions, inSeries } from './version';

/*
 * Which Python versions a framework release supports (D1–D4), and which
 * releases to move to when the environment's Python is outside them.
 */

/**
 * The Python range of one framework release.
 */
export interface IPythonSupport extends ISourced {
  /** major.minor, inclusive. */
  min: string;
  /** Null where the release states no maximum (JAX before 3.10, Transformers). */
  max: string | null;
  /** Above `max` but published as experimental. */
  experimental: string[];
  /** For a Python above the range: a version spec of releases that support it (">=2.4"), if known. */
  newerSpec: (python: string) => string | null;
  /** For a Python below the range: a version spec of releases that still support it ("<2.5"), if known. */
  olderSpec: (python: string) => string | null;
}

function between(python: string, min: string, max: string | null): boolean {
  return (
    compareVersions(python, min) >= 0 &&
    (max === null || compareVersions(python, max) <= 0)
  );
}

interface ISeriesRow extends ISourced {
  first: string;
  last: string;
}

/**
 * For tables of release series with a Python range per row.
 */
function fromSeries<T extends ISeriesRow>(
  rows: readonly T[],
  version: string,
  range: (row: T) => { min: string; max: string | null; experimental: string[] }
): IPythonSupport | null {
  const index = rows.findIndex(r => inSeries(version, r.first, r.last));
  if (index < 0) {
    return null;
  }
  const row = rows[index];
  return {
    ...range(row),
    sources: row.sources,
    verified: row.verified,
    newerSpec: python => {
      const later = rows.slice(index + 1).find(r => {
        const { min, max } = range(r);
        return between(python, min, max);
      });
      return later ? `>=${later.first}` : null;
    },
    olderSpec: python => {
      const earlier = rows.slice(0, index).map(r => [r, range(r)] as const);
      const lastFit = [...earlier]
        .reverse()
        .findIndex(([, rr]) => between(python, rr.min, rr.max));
      if (lastFit < 0) {
        return null;
      }
      // The first release after the last one that fits is where support ended.
      return `<${rows[earlier.length - lastFit].first}`;
    }
  };
}

function jaxSupport(
  version: string,
  field: 'jax' | 'jaxlib'
): IPythonSupport | null {
  const floors = JAX_PYTHON_FLOORS.filter(
    f => compareVersions(version, f.since) >= 0
  );
  const floor = floors[floors.length - 1];
  // Newest Python with wheels at this release; JAX states no maximum of its own.
  const wheels = JAX_PYTHON_FIRST.filter(
    p => compareVersions(version, p[field]) >= 0
  );
  const newest = wheels[wheels.length - 1];
  if (!floor && !newest) {
    return null;
  }
  const sourced = floor ?? newest;
  return {
    min: floor?.minPython ?? '3.0',
    max:
      newest &&
      newest.python !== JAX_PYTHON_FIRST[JAX_PYTHON_FIRST.length - 1].python
        ? newest.python
        : null,
    experimental: [],
    sources: sourced.sources,
    verified: sourced.verified,
    newerSpec: python => {
      const first = JAX_PYTHON_FIRST.find(p => p.python === python);
      return first ? `>=${first[field]}` : null;
    },
    olderSpec: python => {
      const raised = JAX_PYTHON_FLOORS.find(
        f => compareVersions(python, f.minPython) < 0
      );
      return raised ? `<${raised.since}` : null;
    }
  };
}

/**
 * The Python range of the framework's release; null when the tables do not
 * know the release (or the framework).
 */
export function pythonSupport(
  framework: IFramework,
  jaxlibVersion: string | null
): IPythonSupport | null {
  const version = framework.version;
  switch (framework.kind) {
    case 'pytorch':
      return fromSeries(PYTORCH_RELEASES, version, r => ({
        min: r.python.min,
        max: r.python.max,
        experimental: r.experimentalPython
      }));
    case 'tensorflow':
      return fromSeries(TENSORFLOW_RELEASES, version, r => ({
        min: r.python.min,
        max: r.python.max,
        experimental: []
      }));
    case 'jax':
      // Wheels are jaxlib's; jax 0.2.26 went with jaxlib 0.1.75.
      return jaxlibVersion
        ? jaxSupport(jaxlibVersion, 'jaxlib')
        : jaxSupport(version, 'jax');
    case 'transformers':
      return fromSeries(TRANSFORMERS_RELEASES, version, r => ({
        min: r.minPython,
        max: null,
        experimental: []
      }));
    default:
      return null;
  }
}

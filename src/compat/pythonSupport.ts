import { JAX_PYTHON_FIRST, JAX_PYTHON_FLOORS } from './data/jaxReleases';
import { PYTORCH_RELEASES } from './data/pytorchReleases';
import type { ISourced } from './data/sourced';
import { TENSORFLOW_RELEASES } from './data/tensorflowReleases';
import { TRANSFORMERS_RELEASES } from './data/transformersReleases';
import type { PackageRecord } from './packageRecord';
import { channelIs } from './fixes/installArgs';
import type { IFramework } from './frameworks';
import { dependency, findRecord } from './records';
import { compareVersions, inSeries, majorMinor, versionParts } from './version';

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
  /**
   * Where the range comes from the installed package's own record (a conda
   * build is made for one Python): how it says so, e.g. "its record depends
   * on python >=3.12,<3.13.0a0". Null for ranges from the release tables.
   */
  own: string | null;
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
    own: null,
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
    own: null,
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
 * The major.minor just below `version`'s: "3.13.0a0" → "3.12"; null for X.0.
 */
function below(version: string): string | null {
  const [major, minor] = versionParts(version);
  if (major === undefined || minor === undefined) {
    return null;
  }
  return minor > 0 ? `${major}.${minor - 1}` : null;
}

/**
 * The Python range of a conda `python` dependency: "python >=3.12,<3.13.0a0"
 * → 3.12–3.12, "python 3.10.*" → 3.10–3.10, "python >=3.9" → ≥ 3.9; null
 * when it says no range this reads (alternatives with `|`, no bound).
 */
export function pythonRangeOf(
  spec: string
): { min: string; max: string | null } | null {
  const constraint = spec.trim().split(/\s+/)[1];
  if (!constraint || constraint.includes('|')) {
    return null;
  }
  let min: string | null = null;
  let max: string | null = null;
  for (const part of constraint.split(',')) {
    const match = /^(>=|<=|==|>|<|=)?\s*([0-9][0-9.]*[0-9A-Za-z.*]*)$/.exec(
      part.trim()
    );
    if (!match) {
      return null;
    }
    const [, op = '', version] = match;
    const mm = majorMinor(version.replace(/\.?\*$/, ''));
    if (op === '>=' || op === '>') {
      min = mm;
    } else if (op === '<') {
      max = below(version);
    } else if (op === '<=') {
      max = mm;
    } else {
      min = mm;
      max = mm;
    }
  }
  return min === null ? null : { min, max };
}

/**
 * What Python a conda build was made for: its `python` dependency, else the
 * `py310`/`py3.10` of its build string; null when it says neither.
 */
export function recordPython(
  record: PackageRecord
): { min: string; max: string | null; evidence: string } | null {
  const spec = dependency(record, 'python');
  const range = spec ? pythonRangeOf(spec) : null;
  if (spec && range) {
    return { ...range, evidence: `its record depends on ${spec}` };
  }
  // `py310h…`, `cuda118py310h…`, `cuda126_mkl_py312_h…`, `py3.10_cuda11.8_…`.
  const tag = /(?:^|[_\d])py(\d)\.?(\d{1,2})(?=[_h]|$)/.exec(record.build);
  if (tag) {
    const python = `${tag[1]}.${tag[2]}`;
    return {
      min: python,
      max: python,
      evidence: `its build string ${record.build} names Python ${python}`
    };
  }
  return null;
}

/**
 * The Python a conda framework record was built for. The official release
 * matrices (T1, TF1, J1) describe PyTorch's own and PyPI's builds; conda
 * channels such as conda-forge build for more Pythons, so a conda record is
 * judged by its own metadata (C3) — except the pytorch channel's, which are
 * PyTorch's own builds.
 */
function ownSupport(record: PackageRecord): IPythonSupport | null {
  const own = recordPython(record);
  if (!own) {
    return null;
  }
  return {
    min: own.min,
    max: own.max,
    experimental: [],
    sources: ['C3'],
    verified: true,
    own: own.evidence,
    newerSpec: () => null,
    olderSpec: () => null
  };
}

/**
 * The Python range of the framework's release; null when neither the
 * tables nor (for conda records) the record itself say.
 */
export function pythonSupport(
  framework: IFramework,
  jaxlibVersion: string | null,
  records: readonly PackageRecord[] = []
): IPythonSupport | null {
  const version = framework.version;
  const record = framework.record;
  if (
    record.source === 'conda' &&
    !(framework.kind === 'pytorch' && channelIs(record, 'pytorch'))
  ) {
    const built =
      framework.kind === 'jax'
        ? (findRecord(records, 'jaxlib', 'conda') ?? record)
        : record;
    return ownSupport(built.source === 'conda' ? built : record);
  }
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

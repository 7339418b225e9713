import {
  diffPackages,
  fromPackages,
  fromSpecEntries,
  IComparable,
  isEmpty,
  normalizePypiName,
  packageKey
} from '../export/drift/diff';
import type { ISpecEntry } from '../export/drift/specTypes';
import { makePackage } from './fixtures';

const COMPLETE = { referenceComplete: true };

function entry(overrides: Partial<ISpecEntry> = {}): ISpecEntry {
  const name = overrides.name ?? 'numpy';
  return {
    source: 'conda',
    name,
    normalized_name: name.toLowerCase().replace(/[-_.]+/g, '-'),
    version: '1.24.3',
    fuzzy: false,
    build: null,
    channel: null,
    spec: `${name}=1.24.3`,
    constraint: null,
    ...overrides
  };
}

function names(items: ReadonlyArray<{ name: string }>): string[] {
  return items.map(item => item.name);
}

describe('packageKey', () => {
  it('normalizes pip names as PEP 503 and lower-cases conda names', () => {
    expect(normalizePypiName('Foo_Bar')).toBe('foo-bar');
    expect(normalizePypiName('zope..interface__x')).toBe('zope-interface-x');
    expect(packageKey('pypi', 'Foo_Bar')).toBe('pypi:foo-bar');
    expect(packageKey('pypi', 'foo.bar')).toBe('pypi:foo-bar');
    // conda keeps punctuation: ruamel.yaml and ruamel_yaml are two packages.
    expect(packageKey('conda', 'Ruamel.Yaml')).toBe('conda:ruamel.yaml');
    expect(packageKey('conda', 'ruamel_yaml')).toBe('conda:ruamel_yaml');
  });
});

describe('fromPackages and fromSpecEntries', () => {
  it('bring records and file entries into one shape', () => {
    const [record] = fromPackages([
      makePackage({ name: 'Foo_Bar', source: 'pypi', version: '2.0' })
    ]);
    expect(record).toEqual<IComparable>({
      key: 'pypi:foo-bar',
      source: 'pypi',
      name: 'Foo_Bar',
      version: '2.0',
      fuzzy: false,
      build: 'pypi_0',
      channel: 'pypi',
      constraint: null
    });
    const [spec] = fromSpecEntries([
      entry({ version: '1.26', fuzzy: true, channel: 'conda-forge' })
    ]);
    expect(spec).toEqual<IComparable>({
      key: 'conda:numpy',
      source: 'conda',
      name: 'numpy',
      version: '1.26',
      fuzzy: true,
      build: null,
      channel: 'conda-forge',
      constraint: null
    });
  });

  it('treats a bare wildcard as no pin', () => {
    const [spec] = fromSpecEntries([entry({ version: '*', fuzzy: true })]);
    expect(spec.version).toBeNull();
    expect(spec.fuzzy).toBe(false);
  });
});

describe('diffPackages', () => {
  const reference = fromPackages([
    makePackage({ name: 'numpy', version: '1.24.3' }),
    makePackage({ name: 'pandas', version: '2.0.0' }),
    makePackage({ name: 'scipy', version: '1.11.0', build: 'py311_0' }),
    makePackage({ name: 'six', version: '1.16.0' })
  ]);
  const current = fromPackages([
    makePackage({ name: 'numpy', version: '1.26.4' }),
    makePackage({ name: 'pandas', version: '2.0.0' }),
    makePackage({ name: 'scipy', version: '1.11.0', build: 'py311_1' }),
    makePackage({ name: 'torch', version: '2.1.0' })
  ]);

  it('finds added, removed, version and build changes', () => {
    const diff = diffPackages(reference, current, COMPLETE);
    expect(names(diff.added)).toEqual(['torch']);
    expect(names(diff.removed)).toEqual(['six']);
    expect(diff.changed).toEqual([
      {
        key: 'conda:numpy',
        source: 'conda',
        name: 'numpy',
        kind: 'version',
        from: {
          version: '1.24.3',
          build: 'py311h08b1b3b_0',
          channel: 'conda-forge'
        },
        to: {
          version: '1.26.4',
          build: 'py311h08b1b3b_0',
          channel: 'conda-forge'
        }
      },
      {
        key: 'conda:scipy',
        source: 'conda',
        name: 'scipy',
        kind: 'build',
        from: { version: '1.11.0', build: 'py311_0', channel: 'conda-forge' },
        to: { version: '1.11.0', build: 'py311_1', channel: 'conda-forge' }
      }
    ]);
    expect(diff.unchanged).toBe(1);
    expect(diff.unpinned).toBe(0);
    expect(diff.addedAreDependencies).toBe(false);
    expect(isEmpty(diff)).toBe(false);
  });

  it('is empty for the same set', () => {
    const diff = diffPackages(reference, reference, COMPLETE);
    expect(isEmpty(diff)).toBe(true);
    expect(diff.unchanged).toBe(4);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
  });

  it('is empty for two empty sets', () => {
    const diff = diffPackages([], [], COMPLETE);
    expect(isEmpty(diff)).toBe(true);
    expect(diff.unchanged).toBe(0);
  });

  it('counts an added package against a complete reference', () => {
    const diff = diffPackages([], current.slice(0, 1), COMPLETE);
    expect(isEmpty(diff)).toBe(false);
  });

  describe('fuzzy versions', () => {
    function changedFor(pinned: Partial<ISpecEntry>, installed: string) {
      const diff = diffPackages(
        fromSpecEntries([entry(pinned)]),
        fromPackages([makePackage({ version: installed })]),
        COMPLETE
      );
      return diff.changed.length;
    }

    it('covers the releases of a prefix, segment by segment', () => {
      expect(changedFor({ version: '1.26', fuzzy: true }, '1.26.4')).toBe(0);
      expect(changedFor({ version: '1.26', fuzzy: true }, '1.26')).toBe(0);
      // 1.2 is not a prefix of 1.26.4, even though the text is.
      expect(changedFor({ version: '1.2', fuzzy: true }, '1.26.4')).toBe(1);
      expect(changedFor({ version: '1.26', fuzzy: true }, '1.27.0')).toBe(1);
    });

    it('needs the exact version without fuzzy', () => {
      expect(changedFor({ version: '1.26', fuzzy: false }, '1.26.4')).toBe(1);
      expect(changedFor({ version: '1.26.4', fuzzy: false }, '1.26.4')).toBe(0);
    });

    it('reads a trailing .* as a prefix', () => {
      expect(changedFor({ version: '1.26.*', fuzzy: false }, '1.26.4')).toBe(0);
      expect(changedFor({ version: '1.26*', fuzzy: false }, '1.26.4')).toBe(0);
      expect(changedFor({ version: '1.2.*', fuzzy: true }, '1.26.4')).toBe(1);
    });

    it('shows the pinned text as the reference side', () => {
      const diff = diffPackages(
        fromSpecEntries([entry({ version: '1.2', fuzzy: true })]),
        fromPackages([makePackage({ version: '1.26.4' })]),
        COMPLETE
      );
      expect(diff.changed[0].from.version).toBe('1.2');
      expect(diff.changed[0].to.version).toBe('1.26.4');
    });
  });

  describe('builds', () => {
    it('ignores builds the reference does not pin', () => {
      const diff = diffPackages(
        fromSpecEntries([entry({ build: null })]),
        fromPackages([makePackage({ build: 'anything_7' })]),
        COMPLETE
      );
      expect(diff.changed).toEqual([]);
      expect(diff.unchanged).toBe(1);
    });

    it('matches a pinned build pattern with *', () => {
      const run = (build: string) =>
        diffPackages(
          fromSpecEntries([
            entry({ name: 'pytorch', version: '2.1.0', build: '*cuda*' })
          ]),
          fromPackages([
            makePackage({ name: 'pytorch', version: '2.1.0', build })
          ]),
          COMPLETE
        ).changed.map(change => change.kind);
      expect(run('py3.11_cuda12.1_cudnn8.9.2_0')).toEqual([]);
      expect(run('py3.11_cpu_0')).toEqual(['build']);
    });

    it('never reports a build change for pip packages', () => {
      const diff = diffPackages(
        [{ ...fromPackages([makePackage({ source: 'pypi' })])[0], build: 'x' }],
        fromPackages([makePackage({ source: 'pypi' })]),
        COMPLETE
      );
      expect(diff.changed).toEqual([]);
      expect(diff.unchanged).toBe(1);
    });

    it('reports a version change before a build change', () => {
      const diff = diffPackages(
        fromPackages([makePackage({ version: '1.0', build: 'a' })]),
        fromPackages([makePackage({ version: '2.0', build: 'b' })]),
        COMPLETE
      );
      expect(diff.changed.map(change => change.kind)).toEqual(['version']);
    });
  });

  it('keeps conda and pip packages of the same name apart', () => {
    const diff = diffPackages(
      fromPackages([makePackage({ name: 'numpy' })]),
      fromPackages([makePackage({ name: 'numpy', source: 'pypi' })]),
      COMPLETE
    );
    expect(diff.removed.map(item => item.key)).toEqual(['conda:numpy']);
    expect(diff.added.map(item => item.key)).toEqual(['pypi:numpy']);
    expect(diff.unchanged).toBe(0);
  });

  it('matches pip names by their PEP 503 form', () => {
    const diff = diffPackages(
      fromSpecEntries([
        entry({ name: 'Foo_Bar', source: 'pypi', version: '1.0' })
      ]),
      fromPackages([
        makePackage({ name: 'foo-bar', source: 'pypi', version: '1.0' })
      ]),
      COMPLETE
    );
    expect(isEmpty(diff)).toBe(true);
    expect(diff.unchanged).toBe(1);
  });

  it('matches unpinned entries by name only', () => {
    const diff = diffPackages(
      fromSpecEntries([
        entry({ name: 'numpy', version: null, constraint: '>=1.20' }),
        entry({ name: 'gone', version: null })
      ]),
      fromPackages([makePackage({ name: 'numpy', version: '1.26.4' })]),
      COMPLETE
    );
    expect(diff.unpinned).toBe(1);
    expect(diff.unchanged).toBe(0);
    expect(diff.changed).toEqual([]);
    expect(names(diff.removed)).toEqual(['gone']);
    expect(diff.removed[0].version).toBeNull();
  });

  it('flags additions to an incomplete reference as dependencies', () => {
    const diff = diffPackages(
      fromSpecEntries([entry({ name: 'numpy', version: null })]),
      fromPackages([
        makePackage({ name: 'numpy' }),
        makePackage({ name: 'libblas' }),
        makePackage({ name: 'python' })
      ]),
      { referenceComplete: false }
    );
    expect(names(diff.added)).toEqual(['libblas', 'python']);
    expect(diff.addedAreDependencies).toBe(true);
    // Dependencies are not differences.
    expect(isEmpty(diff)).toBe(true);
  });

  it('still reports changes against an incomplete reference', () => {
    const diff = diffPackages(
      fromSpecEntries([entry({ version: '1.0' })]),
      fromPackages([makePackage({ version: '2.0' })]),
      { referenceComplete: false }
    );
    expect(isEmpty(diff)).toBe(false);
  });

  it('keeps the first of duplicate keys and counts the rest', () => {
    const diff = diffPackages(
      fromPackages([
        makePackage({ name: 'attrs', source: 'pypi', version: '23.1.0' })
      ]),
      fromPackages([
        makePackage({ name: 'attrs', source: 'pypi', version: '23.1.0' }),
        makePackage({ name: 'Attrs', source: 'pypi', version: '21.0.0' }),
        makePackage({ name: 'attrs', source: 'pypi', version: '22.0.0' })
      ]),
      COMPLETE
    );
    expect(diff.duplicates).toBe(2);
    expect(diff.unchanged).toBe(1);
    expect(diff.changed).toEqual([]);
    expect(diff.added).toEqual([]);
  });

  it('sorts every list by name, then source', () => {
    const pkgs = (list: Array<[string, 'conda' | 'pypi']>) =>
      fromPackages(list.map(([name, source]) => makePackage({ name, source })));
    const diff = diffPackages(
      pkgs([
        ['zlib', 'conda'],
        ['Foo_Bar', 'pypi'],
        ['abc', 'pypi'],
        ['abc', 'conda']
      ]),
      pkgs([
        ['yaml', 'pypi'],
        ['foo-bar', 'conda'],
        ['Beta', 'conda'],
        ['alpha', 'pypi']
      ]),
      COMPLETE
    );
    expect(diff.removed.map(item => item.key)).toEqual([
      'conda:abc',
      'pypi:abc',
      'pypi:foo-bar',
      'conda:zlib'
    ]);
    expect(diff.added.map(item => item.key)).toEqual([
      'pypi:alpha',
      'conda:beta',
      'conda:foo-bar',
      'pypi:yaml'
    ]);

    const changed = diffPackages(
      fromPackages([
        makePackage({ name: 'zlib', version: '1' }),
        makePackage({ name: 'attrs', source: 'pypi', version: '1' }),
        makePackage({ name: 'attrs', version: '1' })
      ]),
      fromPackages([
        makePackage({ name: 'attrs', source: 'pypi', version: '2' }),
        makePackage({ name: 'zlib', version: '2' }),
        makePackage({ name: 'attrs', version: '2' })
      ]),
      COMPLETE
    ).changed;
    expect(changed.map(change => change.key)).toEqual([
      'conda:attrs',
      'pypi:attrs',
      'conda:zlib'
    ]);
  });
});

import { nullTranslator } from '@jupyterlab/translation';
import { fireEvent, render, screen } from '@testing-library/react';
import * as React from 'react';

import { PackageDiff } from '../export/packageDiff';
import {
  diffPackages,
  fromPackages,
  fromSpecEntries,
  IPackageDiff
} from '../export/drift/diff';
import { makePackage } from './fixtures';

const trans = nullTranslator.load('jupyterlab_conda_envs');

function show(diff: IPackageDiff): HTMLElement {
  const { container } = render(
    <PackageDiff
      diff={diff}
      referenceLabel="snapshot"
      currentLabel="ml-env"
      trans={trans}
    />
  );
  return container;
}

function section(container: HTMLElement, kind: string): HTMLElement | null {
  return container.querySelector<HTMLElement>(
    `.jp-CondaEnvs-Diff-section-${kind}`
  );
}

function rowKeys(element: HTMLElement | null): string[] {
  return Array.from(
    element?.querySelectorAll<HTMLElement>('.jp-CondaEnvs-Diff-row') ?? []
  ).map(row => row.dataset.packageKey ?? '');
}

const sample = diffPackages(
  fromPackages([
    makePackage({ name: 'numpy', version: '1.24.3' }),
    makePackage({ name: 'scipy', version: '1.11.0', build: 'py311_0' }),
    makePackage({ name: 'six', version: '1.16.0' }),
    makePackage({ name: 'attrs', source: 'pypi', version: '23.1.0' }),
    makePackage({ name: 'pandas', version: '2.0.0' })
  ]),
  fromPackages([
    makePackage({ name: 'numpy', version: '1.26.4' }),
    makePackage({ name: 'scipy', version: '1.11.0', build: 'py311_1' }),
    makePackage({ name: 'attrs', source: 'pypi', version: '23.2.0' }),
    makePackage({ name: 'torch', version: '2.1.0' }),
    makePackage({ name: 'pandas', version: '2.0.0' })
  ]),
  { referenceComplete: true }
);

describe('PackageDiff', () => {
  it('sums up the differences and lists them by section', () => {
    const container = show(sample);
    expect(
      container.querySelector('.jp-CondaEnvs-Diff-summary')?.textContent
    ).toBe('3 changed, 1 added, 1 removed; 1 unchanged');
    expect(container.querySelector('.jp-CondaEnvs-Diff-empty')).toBeNull();

    const changed = section(container, 'changed');
    expect(rowKeys(changed)).toEqual([
      'pypi:attrs',
      'conda:numpy',
      'conda:scipy'
    ]);
    expect(changed?.querySelector('caption')?.textContent).toContain(
      'Changed (3)'
    );
    const headers = Array.from(
      changed?.querySelectorAll('th[scope="col"]') ?? []
    ).map(th => th.textContent);
    expect(headers).toEqual(['Package', 'snapshot', 'ml-env']);

    const numpy = changed?.querySelector('[data-package-key="conda:numpy"]');
    expect(numpy?.querySelector('.jp-CondaEnvs-Diff-from')?.textContent).toBe(
      '1.24.3=py311h08b1b3b_0'
    );
    expect(numpy?.querySelector('.jp-CondaEnvs-Diff-to')?.textContent).toBe(
      '1.26.4=py311h08b1b3b_0'
    );
    expect(numpy?.textContent).toContain('conda');

    // pip rows show no build and say they come from pip.
    const attrs = changed?.querySelector('[data-package-key="pypi:attrs"]');
    expect(attrs?.querySelector('.jp-CondaEnvs-Diff-from')?.textContent).toBe(
      '23.1.0'
    );
    expect(
      attrs?.querySelector('.jp-CondaEnvs-Diff-tag-pypi')?.textContent
    ).toBe('pip');

    // A build change is named in words, not only by colour.
    const scipy = changed?.querySelector<HTMLElement>(
      '[data-package-key="conda:scipy"]'
    );
    expect(scipy?.dataset.change).toBe('build');
    expect(
      scipy?.querySelector('.jp-CondaEnvs-Diff-tag-build')?.textContent
    ).toBe('build');

    expect(rowKeys(section(container, 'added'))).toEqual(['conda:torch']);
    expect(section(container, 'added')?.textContent).toContain('Added (1)');
    expect(rowKeys(section(container, 'removed'))).toEqual(['conda:six']);
    expect(section(container, 'removed')?.textContent).toContain('Removed (1)');
    expect(
      container.querySelector('.jp-CondaEnvs-Diff-dependencies')
    ).toBeNull();
  });

  it('says when there is no difference', () => {
    const same = fromPackages([makePackage(), makePackage({ name: 'six' })]);
    const container = show(
      diffPackages(same, same, { referenceComplete: true })
    );
    expect(
      container.querySelector('.jp-CondaEnvs-Diff-empty')?.textContent
    ).toBe('No differences between snapshot and ml-env');
    expect(
      container.querySelector('.jp-CondaEnvs-Diff-summary')?.textContent
    ).toBe('2 unchanged');
    expect(container.querySelector('table')).toBeNull();
  });

  it('folds away packages a hand-written file does not name', () => {
    const diff = diffPackages(
      fromSpecEntries([
        {
          source: 'conda',
          name: 'numpy',
          normalized_name: 'numpy',
          version: null,
          fuzzy: false,
          build: null,
          channel: null,
          spec: 'numpy',
          constraint: null
        }
      ]),
      fromPackages([
        makePackage({ name: 'numpy' }),
        makePackage({ name: 'libblas' }),
        makePackage({ name: 'python' })
      ]),
      { referenceComplete: false }
    );
    const container = show(diff);
    expect(container.querySelector('.jp-CondaEnvs-Diff-empty')).not.toBeNull();
    expect(section(container, 'added')).toBeNull();
    const details = container.querySelector<HTMLDetailsElement>(
      'details.jp-CondaEnvs-Diff-dependencies'
    );
    expect(details?.open).toBe(false);
    expect(details?.querySelector('summary')?.textContent).toBe(
      '2 more packages in ml-env, not named in snapshot'
    );
    expect(rowKeys(details)).toEqual(['conda:libblas', 'conda:python']);
    expect(
      container.querySelector('.jp-CondaEnvs-Diff-summary')?.textContent
    ).toBe('0 unchanged, 1 matched by name only');
  });

  it('renders names as text, never as markup', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const container = show(
      diffPackages(
        [],
        fromPackages([
          makePackage({ name: evil, version: '<b>1</b>', channel: '<i>c</i>' })
        ]),
        { referenceComplete: true }
      )
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('i')).toBeNull();
    expect(screen.getByText(evil)).toBeTruthy();
  });

  it('shows the first rows of a long section and all on request', () => {
    const many = fromPackages(
      Array.from({ length: PackageDiff.ROW_LIMIT + 50 }, (_, i) =>
        makePackage({ name: `pkg${String(i).padStart(4, '0')}` })
      )
    );
    const container = show(diffPackages([], many, { referenceComplete: true }));
    const added = section(container, 'added');
    expect(rowKeys(added)).toHaveLength(PackageDiff.ROW_LIMIT);
    expect(rowKeys(added)[0]).toBe('conda:pkg0000');
    const button = screen.getByRole('button', { name: 'Show all 250' });
    fireEvent.click(button);
    expect(rowKeys(section(container, 'added'))).toHaveLength(250);
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });

  it('shows no button when a section fits', () => {
    show(sample);
    expect(screen.queryByRole('button')).toBeNull();
  });
});

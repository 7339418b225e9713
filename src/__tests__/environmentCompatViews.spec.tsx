import { Clipboard } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import * as React from 'react';

import type { ProbeResponse } from '../gpu/api';
import { CompatBadge } from '../compat/compatBadge';
import { CompatSection } from '../compat/compatSection';
import { EnvironmentList } from '../environments/environmentList';
import { MachineHeader } from '../gpu/machineHeader';
import { ProbeResult } from '../gpu/probeResult';
import { VerdictList } from '../compat/verdictList';
import { CompatModel } from '../compat/compatModel';
import { EnvironmentsModel } from '../environments/model';
import {
  analysisWith,
  FakeClient,
  flush,
  listing,
  makeEnv,
  makePackage,
  makeSystem,
  makeVerdict,
  NO_GPU,
  packagesOf,
  probeOk
} from './fixtures';

const trans = nullTranslator.load('jupyterlab_conda_envs');

function loaded(facts = makeSystem()): CompatModel.ISystemState {
  return { status: 'loaded', facts, error: '' };
}

function done(analysis = analysisWith('ok')): CompatModel.IAnalysisState {
  return { status: 'done', revision: 'r1', analysis, error: '' };
}

function probeDone(response: ProbeResponse): CompatModel.IProbeState {
  return { status: 'done', response, error: '' };
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('MachineHeader', () => {
  it('shows the GPU, its memory and capability, the driver and its CUDA', () => {
    const { container } = render(
      <MachineHeader state={loaded()} trans={trans} />
    );
    const header = container.querySelector<HTMLElement>(
      '.jp-CondaEnvs-MachineHeader'
    );
    expect(header?.dataset.gpu).toBe('yes');
    expect(header?.dataset.simulated).toBe('true');
    expect(header?.textContent).toContain('This machine');
    expect(header?.textContent).toContain('NVIDIA A100-SXM4-40GB');
    expect(header?.textContent).toContain('40 GiB');
    expect(header?.textContent).toContain('CC 8.0');
    expect(header?.textContent).toContain('Driver 525.60.13');
    expect(header?.textContent).toContain('CUDA ≤ 12.0');
    expect(screen.getByText('simulated')).toBeTruthy();
    expect(
      header?.querySelector('.jp-CondaEnvs-MachineHeader-override')
    ).toBeNull();
  });

  it('counts identical GPUs and does not say "simulated" for detected ones', () => {
    const gpu = {
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      memory_mib: 81559,
      compute_capability: '9.0'
    };
    const facts = makeSystem({
      simulated: false,
      detected_by: 'nvml',
      driver_version: '580.65.06',
      cuda_driver_version: '13.0',
      gpus: [gpu, { ...gpu, index: 1 }]
    });
    const { container } = render(
      <MachineHeader state={loaded(facts)} trans={trans} />
    );
    const header = container.querySelector<HTMLElement>(
      '.jp-CondaEnvs-MachineHeader'
    );
    expect(header?.dataset.simulated).toBe('false');
    expect(header?.textContent).not.toContain('simulated');
    const rows = container.querySelectorAll<HTMLElement>(
      '.jp-CondaEnvs-MachineHeader-gpu'
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].dataset.count).toBe('2');
    expect(rows[0].textContent).toContain('2 × NVIDIA H100 80GB HBM3');
    expect(rows[0].textContent).toContain('79.6 GiB');
    expect(header?.textContent).toContain('via nvml');
  });

  it('says "No NVIDIA GPU" with the reason and every attempt', () => {
    const { container } = render(
      <MachineHeader state={loaded(makeSystem(NO_GPU))} trans={trans} />
    );
    const header = container.querySelector<HTMLElement>(
      '.jp-CondaEnvs-MachineHeader'
    );
    expect(header?.dataset.gpu).toBe('no');
    expect(header?.textContent).toContain('No NVIDIA GPU');
    const reason = header?.querySelector('details');
    expect(reason?.textContent).toContain(
      '/proc/driver/nvidia/version does not exist'
    );
    expect(reason?.textContent).toContain('NVML Shared Library Not Found');
    expect(header?.textContent).not.toContain('Driver');
  });

  it('warns about CONDA_OVERRIDE_CUDA, set or empty', () => {
    const { container, rerender } = render(
      <MachineHeader
        state={loaded(makeSystem({}, { conda_override_cuda: '12.4' }))}
        trans={trans}
      />
    );
    const override = (): Element | null =>
      container.querySelector('.jp-CondaEnvs-MachineHeader-override');
    expect(override()?.textContent).toContain('CONDA_OVERRIDE_CUDA=12.4');
    expect(override()?.textContent).toContain('CUDA 12.4');
    rerender(
      <MachineHeader
        state={loaded(makeSystem({}, { conda_override_cuda: '' }))}
        trans={trans}
      />
    );
    expect(override()?.textContent).toContain('CONDA_OVERRIDE_CUDA=');
    expect(override()?.textContent).toContain('no CUDA driver');
  });

  it('says the CUDA limit is inferred when only the driver version is known', () => {
    const { container } = render(
      <MachineHeader
        state={loaded(
          makeSystem({
            driver_version: '535.104.05',
            cuda_driver_version: null
          })
        )}
        trans={trans}
      />
    );
    const cuda = container.querySelector<HTMLElement>(
      '.jp-CondaEnvs-MachineHeader-cuda'
    );
    expect(cuda?.textContent).toBe('CUDA ≤ 12.2 (inferred)');
    expect(cuda?.dataset.inferred).toBe('true');
    expect(container.textContent).not.toContain('CUDA limit unknown');
  });

  it('infers from the Windows column on win-64', () => {
    const facts = makeSystem(
      { driver_version: '520.06', cuda_driver_version: null },
      {
        platform: {
          system: 'Windows',
          machine: 'AMD64',
          conda_subdir: 'win-64'
        }
      }
    );
    const { container } = render(
      <MachineHeader state={loaded(facts)} trans={trans} />
    );
    expect(
      container.querySelector('.jp-CondaEnvs-MachineHeader-cuda')?.textContent
    ).toBe('CUDA ≤ 11.8 (inferred)');
  });

  it('shows a driver found without a GPU, with its inferred CUDA', () => {
    const { container } = render(
      <MachineHeader
        state={loaded(
          makeSystem({
            ...NO_GPU,
            reason: 'the driver is loaded but listed no GPU',
            driver_version: '550.54.15',
            detected_by: 'sysfs'
          })
        )}
        trans={trans}
      />
    );
    const header = container.querySelector<HTMLElement>(
      '.jp-CondaEnvs-MachineHeader'
    );
    expect(header?.dataset.gpu).toBe('no');
    expect(header?.textContent).toContain('No NVIDIA GPU');
    expect(header?.textContent).toContain('Driver 550.54.15');
    expect(header?.textContent).toContain('CUDA ≤ 12.4 (inferred)');
  });

  it('still says the limit is unknown when nothing is known', () => {
    const { container } = render(
      <MachineHeader
        state={loaded(
          makeSystem({ driver_version: null, cuda_driver_version: null })
        )}
        trans={trans}
      />
    );
    expect(container.textContent).toContain('CUDA limit unknown');
  });

  it('shows loading, then an error without facts', () => {
    const { container, rerender } = render(
      <MachineHeader
        state={{ status: 'loading', facts: null, error: '' }}
        trans={trans}
      />
    );
    expect(container.textContent).toContain('Reading the GPUs');
    expect(
      container.querySelector<HTMLElement>('.jp-CondaEnvs-MachineHeader')
        ?.dataset.gpu
    ).toBeUndefined();
    rerender(
      <MachineHeader
        state={{ status: 'error', facts: null, error: 'Could not: 403' }}
        trans={trans}
      />
    );
    expect(screen.getByRole('alert').textContent).toBe('Could not: 403');
  });
});

describe('CompatBadge', () => {
  it.each([
    ['ok', done(analysisWith('ok', [], [makeVerdict({ severity: 'ok' })]))],
    ['warning', done(analysisWith('warning', [], [makeVerdict()]))],
    [
      'error',
      done(
        analysisWith(
          'error',
          [],
          [
            makeVerdict(),
            makeVerdict({
              code: 'driver-too-old',
              severity: 'error',
              title: 'NVIDIA driver too old for this CUDA build'
            })
          ]
        )
      )
    ],
    ['unknown', done(analysisWith('unknown'))],
    [
      'unknown',
      { status: 'error', revision: 'r1', analysis: null, error: 'gone' }
    ],
    [
      'loading',
      { status: 'loading', revision: 'r1', analysis: null, error: '' }
    ]
  ] as [string, CompatModel.IAnalysisState][])('shows %s', (status, state) => {
    const { container } = render(<CompatBadge state={state} trans={trans} />);
    const badge = container.querySelector<HTMLElement>(
      '.jp-CondaEnvs-CompatBadge'
    );
    expect(badge?.dataset.status).toBe(status);
    expect(badge?.getAttribute('aria-label')).toBe(badge?.title);
    expect(badge?.title).toBeTruthy();
  });

  it('sums up the worst verdict and how many more there are', () => {
    const state = done(
      analysisWith(
        'error',
        [],
        [
          makeVerdict(),
          makeVerdict({
            code: 'driver-too-old',
            severity: 'error',
            title: 'NVIDIA driver too old for this CUDA build'
          }),
          makeVerdict({ code: 'cuda-build-ok', severity: 'ok', title: 'fine' })
        ]
      )
    );
    expect(CompatBadge.summary(state, trans)).toBe(
      'Compatibility error: NVIDIA driver too old for this CUDA build (and 1 more)'
    );
    expect(
      CompatBadge.summary(
        done(
          analysisWith('ok', [], [makeVerdict({ severity: 'ok', title: 'x' })])
        ),
        trans
      )
    ).toBe('Compatibility: no problems found');
    // Nothing judged: no GPU framework, not a worry.
    expect(CompatBadge.summary(done(analysisWith('unknown')), trans)).toBe(
      'Compatibility: nothing to check (no GPU framework)'
    );
    const { container } = render(
      <CompatBadge state={done(analysisWith('unknown'))} trans={trans} />
    );
    expect(container.textContent).toBe('n/a');
    // Only notes: unknown, and the note says why.
    expect(
      CompatBadge.summary(
        done(
          analysisWith(
            'unknown',
            [],
            [
              makeVerdict({
                code: 'build-unknown',
                severity: 'info',
                title: 'CUDA version of the build not known'
              })
            ]
          )
        ),
        trans
      )
    ).toBe('Compatibility note: CUDA version of the build not known');
    expect(
      CompatBadge.summary(
        { status: 'error', revision: 'r', analysis: null, error: 'boom' },
        trans
      )
    ).toBe('Compatibility unknown: boom');
  });

  it('renders nothing before the model follows the listing', () => {
    const { container } = render(
      <CompatBadge state={undefined} trans={trans} />
    );
    expect(container.innerHTML).toBe('');
  });
});

describe('VerdictList', () => {
  it('shows title, message, packages, rule, sources and a copyable fix', () => {
    const copy = jest
      .spyOn(Clipboard, 'copyToSystem')
      .mockImplementation(() => undefined);
    const { container } = render(
      <VerdictList verdicts={[makeVerdict()]} trans={trans} />
    );
    const item = container.querySelector<HTMLElement>('.jp-CondaEnvs-Verdict');
    expect(item?.dataset.code).toBe('minor-version-compat');
    expect(item?.dataset.severity).toBe('warning');
    const scope = within(item as HTMLElement);
    expect(
      scope.getByText('Runs only through CUDA minor-version compatibility')
    ).toBeTruthy();
    expect(item?.textContent).toContain(
      'pytorch 2.5.1 is built for CUDA 12.6; the driver supports 12.0'
    );
    expect(
      item?.querySelector('.jp-CondaEnvs-Verdict-packages')?.textContent
    ).toBe('pytorch');
    expect(item?.querySelector('.jp-CondaEnvs-Verdict-rule')?.textContent).toBe(
      'A CUDA X.Y build runs if the driver supports CUDA ≥ X.Y.'
    );
    const sources = item?.querySelectorAll<HTMLElement>(
      '.jp-CondaEnvs-Verdict-source'
    );
    expect(Array.from(sources ?? []).map(s => s.textContent)).toEqual([
      'N2',
      'C1'
    ]);
    expect(sources?.[0].title).toBe('NVIDIA CUDA Compatibility guide');
    expect(item?.querySelector('.jp-CondaEnvs-Verdict-unverified')).toBeNull();

    const fix = item?.querySelector('.jp-CondaEnvs-Verdict-fix');
    expect(fix?.textContent).toContain(
      'conda install "cuda-version=12.0" "pytorch=*=cuda*"'
    );
    fireEvent.click(scope.getByRole('button', { name: 'Copy the command' }));
    expect(copy).toHaveBeenCalledWith(
      'conda install "cuda-version=12.0" "pytorch=*=cuda*"'
    );
  });

  it('copies each command of a prose fix on its own', () => {
    const copy = jest
      .spyOn(Clipboard, 'copyToSystem')
      .mockImplementation(() => undefined);
    const fix =
      'Update the NVIDIA driver, or install a build for CUDA ≤ 12.0: `conda install "cuda-version<=12.0"`, then `pip check`.';
    const { container } = render(
      <VerdictList verdicts={[makeVerdict({ fix })]} trans={trans} />
    );
    const prose = container.querySelectorAll('.jp-CondaEnvs-FixText-prose');
    expect(Array.from(prose).map(p => p.textContent)).toEqual([
      'Update the NVIDIA driver, or install a build for CUDA ≤ 12.0:',
      ', then'
    ]);
    const codes = container.querySelectorAll(
      '.jp-CondaEnvs-CommandSnippet-code'
    );
    expect(Array.from(codes).map(c => c.textContent)).toEqual([
      'conda install "cuda-version<=12.0"',
      'pip check'
    ]);
    fireEvent.click(
      screen.getAllByRole('button', { name: 'Copy the command' })[0]
    );
    expect(copy).toHaveBeenCalledWith('conda install "cuda-version<=12.0"');
  });

  it('marks unverified verdicts and leaves out a missing fix', () => {
    const { container } = render(
      <VerdictList
        verdicts={[
          makeVerdict({ verified: false, fix: null, sources: ['A9'] })
        ]}
        trans={trans}
      />
    );
    expect(
      container.querySelector('.jp-CondaEnvs-Verdict-unverified')?.textContent
    ).toBe('unverified');
    expect(container.querySelector('.jp-CondaEnvs-Verdict-fix')).toBeNull();
    // A key the reference does not list is still shown as itself.
    expect(
      container.querySelector<HTMLElement>('.jp-CondaEnvs-Verdict-source')
        ?.title
    ).toBe('A9');
  });

  it('puts the most severe first', () => {
    const { container } = render(
      <VerdictList
        verdicts={[
          makeVerdict({ code: 'cuda-build-ok', severity: 'ok' }),
          makeVerdict({ code: 'driver-too-old', severity: 'error' })
        ]}
        trans={trans}
      />
    );
    const codes = Array.from(
      container.querySelectorAll<HTMLElement>('.jp-CondaEnvs-Verdict')
    ).map(item => item.dataset.code);
    expect(codes).toEqual(['driver-too-old', 'cuda-build-ok']);
  });

  it('renders package metadata as text, never as HTML', () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const { container } = render(
      <VerdictList
        verdicts={[
          makeVerdict({
            template: 'package {name} shadows conda',
            params: { name: evil },
            packages: [evil],
            fix: `pip uninstall ${evil}`
          })
        ]}
        trans={trans}
      />
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain(`package ${evil} shadows conda`);
  });

  it('says so when there is nothing to report', () => {
    render(<VerdictList verdicts={[]} trans={trans} />);
    expect(screen.getByText(/Nothing to report/)).toBeTruthy();
  });
});

describe('ProbeResult', () => {
  function shown(state: CompatModel.IProbeState): HTMLElement | null {
    const { container } = render(<ProbeResult state={state} trans={trans} />);
    return container.querySelector<HTMLElement>('.jp-CondaEnvs-ProbeResult');
  }

  it('shows nothing before a probe, and nothing while it runs', () => {
    expect(shown({ status: 'idle', response: null, error: '' })).toBeNull();
    expect(shown({ status: 'running', response: null, error: '' })).toBeNull();
  });

  it('shows the CUDA-related variables the interpreter saw, as text', () => {
    const response = probeOk('x');
    if (response.status !== 'ok') {
      throw new Error('unexpected');
    }
    response.result.variables = {
      XLA_FLAGS: '--xla_gpu_cuda_data_dir=/prefix/x',
      LD_LIBRARY_PATH: '<img src=x onerror=alert(1)>',
      CUDA_HOME: 5 as unknown as string
    };
    const result = shown(probeDone(response));
    const list = result?.querySelector('.jp-CondaEnvs-ProbeResult-variables');
    expect(list?.textContent).toContain('XLA_FLAGS');
    expect(list?.textContent).toContain('--xla_gpu_cuda_data_dir=/prefix/x');
    expect(list?.querySelector('img')).toBeNull();
    // Not a string: left out rather than shown wrongly.
    expect(list?.textContent).not.toContain('CUDA_HOME');
  });

  it('shows Python and what each framework sees', () => {
    const result = shown(
      probeDone(
        probeOk('x', {
          torch: {
            version: '2.1.0+cu118',
            cuda: '11.8',
            available: true,
            device_count: 1,
            devices: ['NVIDIA A100-SXM4-40GB']
          },
          tensorflow: { error: 'ImportError: libcudart.so.11.0' },
          jax: { version: '0.4.30', backend: 'cpu', devices: ['TFRT_CPU_0'] }
        })
      )
    );
    expect(result?.dataset.status).toBe('ok');
    expect(result?.textContent).toContain('Python 3.11.7');
    expect(result?.textContent).toContain('(0.4 s)');
    const torch = result?.querySelector<HTMLElement>(
      '[data-framework="torch"]'
    );
    expect(torch?.textContent).toContain('2.1.0+cu118');
    expect(torch?.textContent).toContain('built for CUDA 11.8');
    expect(torch?.textContent).toContain('GPU available: yes');
    expect(torch?.textContent).toContain('NVIDIA A100-SXM4-40GB');
    const tf = result?.querySelector<HTMLElement>(
      '[data-framework="tensorflow"]'
    );
    expect(tf?.dataset.failed).toBe('true');
    expect(tf?.textContent).toContain('ImportError: libcudart.so.11.0');
    expect(
      result?.querySelector('[data-framework="jax"]')?.textContent
    ).toContain('backend: cpu');
  });

  it('says when there is no framework to ask, and a CPU build', () => {
    expect(shown(probeDone(probeOk('x')))?.textContent).toContain(
      'No PyTorch, TensorFlow or JAX'
    );
    const cpu = shown(
      probeDone(
        probeOk('x', {
          torch: {
            version: '2.1.0',
            cuda: null,
            available: false,
            device_count: 0
          }
        })
      )
    );
    expect(cpu?.textContent).toContain('CPU build');
    expect(cpu?.textContent).toContain('GPU available: no');
  });

  it('shows a timeout with its message and the error output', () => {
    const result = shown(
      probeDone({
        id: 'x',
        prefix: '/x',
        status: 'timeout',
        seconds: 60,
        message: 'no answer within 60 s (an import or a driver call hung)',
        stderr: 'Traceback ...'
      })
    );
    expect(result?.dataset.status).toBe('timeout');
    expect(result?.textContent).toContain('stopped after 60.0 s');
    expect(result?.textContent).toContain('an import or a driver call hung');
    expect(result?.querySelector('details pre')?.textContent).toBe(
      'Traceback ...'
    );
  });

  it('shows a failure with its exit code', () => {
    const result = shown(
      probeDone({
        id: 'x',
        prefix: '/x',
        status: 'failed',
        seconds: 0.3,
        exit_code: 1,
        stderr: 'ModuleNotFoundError'
      })
    );
    expect(result?.dataset.status).toBe('failed');
    expect(result?.textContent).toContain('exit code 1');
  });

  it('survives answers of unexpected shapes', () => {
    const odd = (result: unknown, extra: object = {}): HTMLElement | null =>
      shown({
        status: 'done',
        // What a changed or broken server might send.
        response: {
          ...probeOk('x'),
          result,
          ...extra
        } as unknown as ProbeResponse,
        error: ''
      });
    const strange = odd({
      python: 3.11,
      executable: null,
      frameworks: {
        torch: {
          version: '2.1.0',
          cuda: null,
          available: true,
          devices: 'NVIDIA A100'
        },
        tensorflow: 'broken',
        jax: {
          version: '0.4.30',
          backend: ['gpu'],
          devices: [1, null, 'cuda:0']
        }
      }
    });
    expect(strange?.textContent).toContain('Python 3.11');
    const torch = strange?.querySelector('[data-framework="torch"]');
    expect(torch?.textContent).toContain('GPU available: yes');
    expect(torch?.textContent).not.toContain('devices');
    const tf = strange?.querySelector<HTMLElement>(
      '[data-framework="tensorflow"]'
    );
    expect(tf?.dataset.failed).toBe('true');
    expect(tf?.textContent).toContain('answer not readable');
    expect(
      strange?.querySelector('[data-framework="jax"]')?.textContent
    ).toContain('devices: 1, cuda:0');

    expect(odd(undefined)?.textContent).toContain(
      'The answer could not be read.'
    );
    expect(odd({ python: '3.11.7', frameworks: [] })?.textContent).toContain(
      'No PyTorch, TensorFlow or JAX'
    );
    expect(odd({}, { seconds: 'soon' })?.textContent).toContain('(? s)');
    expect(odd(null, { status: 'exploded' })?.textContent).toContain(
      'The answer could not be read.'
    );
  });

  it('shows why the request failed', () => {
    const result = shown({
      status: 'error',
      response: null,
      error: 'running code in an environment is not allowed'
    });
    expect(result?.dataset.status).toBe('error');
    expect(result?.textContent).toContain('not allowed');
  });
});

describe('CompatSection', () => {
  it('has a real "Check in environment" button that runs the probe', () => {
    const onProbe = jest.fn();
    const { rerender } = render(
      <CompatSection
        analysis={done(analysisWith('warning', [], [makeVerdict()]))}
        probe={{ status: 'idle', response: null, error: '' }}
        onProbe={onProbe}
        trans={trans}
      />
    );
    const button = screen.getByRole('button', { name: 'Check in environment' });
    expect(button.tagName).toBe('BUTTON');
    fireEvent.click(button);
    expect(onProbe).toHaveBeenCalledTimes(1);

    rerender(
      <CompatSection
        analysis={done(analysisWith('warning', [], [makeVerdict()]))}
        probe={{ status: 'running', response: null, error: '' }}
        onProbe={onProbe}
        trans={trans}
      />
    );
    const running = screen.getByRole('button', { name: 'Checking…' });
    expect((running as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows loading and errors of the analysis', () => {
    const idle = { status: 'idle', response: null, error: '' } as const;
    const { container, rerender } = render(
      <CompatSection
        analysis={undefined}
        probe={idle}
        onProbe={jest.fn()}
        trans={trans}
      />
    );
    expect(container.textContent).toContain('Checking the packages');
    rerender(
      <CompatSection
        analysis={{
          status: 'error',
          revision: 'r1',
          analysis: null,
          error: 'Could not read the packages: 500'
        }}
        probe={idle}
        onProbe={jest.fn()}
        trans={trans}
      />
    );
    expect(screen.getByRole('alert').textContent).toContain('500');
  });
});

describe('EnvironmentList with compatibility', () => {
  it('shows badges in rows, verdicts in the open one, and probes it', async () => {
    const client = new FakeClient();
    const model = new EnvironmentsModel({ client, refreshInterval: 0 });
    const compat = new CompatModel({
      client,
      environments: model,
      analyze: records =>
        analysisWith(
          'warning',
          records,
          [makeVerdict({ code: 'pip-shadows-conda' })],
          {}
        )
    });
    function Harness(): JSX.Element {
      const [, setTick] = React.useState(0);
      React.useEffect(() => {
        const onChange = (): void => setTick(tick => tick + 1);
        model.stateChanged.connect(onChange);
        compat.stateChanged.connect(onChange);
        return () => {
          model.stateChanged.disconnect(onChange);
          compat.stateChanged.disconnect(onChange);
        };
      }, []);
      return (
        <EnvironmentList
          model={model}
          compat={compat}
          actions={{ useKernel: jest.fn(), newNotebook: jest.fn() }}
          trans={trans}
        />
      );
    }
    const { container } = render(<Harness />);
    await act(async () => {
      const loading = model.ensureLoaded();
      void compat.ensureLoaded();
      client.lastList.resolve(listing([makeEnv({ name: 'pip_shadow' })]));
      client.lastSystem.resolve(makeSystem());
      await loading;
      await flush();
    });
    const item = container.querySelector<HTMLElement>(
      '[data-env-name="pip_shadow"]'
    ) as HTMLElement;
    await act(async () => {
      client.packageCalls[0].reply.resolve(
        packagesOf('id-pip_shadow', [
          makePackage({ name: 'python', version: '3.11.5' })
        ])
      );
      await flush();
    });
    const badge = item.querySelector<HTMLElement>('.jp-CondaEnvs-CompatBadge');
    expect(badge?.dataset.status).toBe('warning');
    // The badge's summary is part of the row button's name.
    expect(
      within(item).getByRole('button', { name: /Compatibility warning/ })
    ).toBeTruthy();

    await act(async () => {
      fireEvent.click(
        item.querySelector('.jp-CondaEnvs-EnvironmentList-row') as HTMLElement
      );
      await flush();
    });
    const section = item.querySelector('.jp-CondaEnvs-CompatSection');
    expect(section?.textContent).toContain('Python 3.11.5');
    expect(
      section?.querySelector('[data-code="pip-shadows-conda"]')
    ).not.toBeNull();

    await act(async () => {
      fireEvent.click(
        within(item).getByRole('button', { name: 'Check in environment' })
      );
      await flush();
    });
    expect(client.probeCalls.map(c => c.id)).toEqual(['id-pip_shadow']);
    expect(
      within(item).getByRole('button', { name: 'Checking…' })
    ).toBeTruthy();
    await act(async () => {
      client.probeCalls[0].reply.resolve(probeOk('id-pip_shadow'));
      await flush();
    });
    const result = item.querySelector<HTMLElement>('.jp-CondaEnvs-ProbeResult');
    expect(result?.dataset.status).toBe('ok');
    expect(result?.textContent).toContain('Python 3.11.7');
    compat.dispose();
    model.dispose();
  });
});

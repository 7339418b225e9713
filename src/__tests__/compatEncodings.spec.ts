import type { PackageRecord } from '../environments/api';
import { analyzeEnvironment } from '../compat/analyze';
import { readCondaBuild, readLocalVersion } from '../compat/buildReading';
import type { ICudaBuildInfo } from '../compat/cudaBuild';
import type { SystemFacts } from '../compat/facts';
import { detectFrameworks } from '../compat/frameworks';
import { envPython } from '../compat/records';
import { conda, pip } from './compatRecords';

/*
 * How the engine reads CUDA builds from package metadata: every encoding of
 * cuda-compat.md §C, as real packages write it.
 */

function machine(subdir = 'linux-64'): SystemFacts {
  return {
    platform: { system: 'Linux', machine: 'x86_64', conda_subdir: subdir },
    gpu: {
      available: false,
      reason: 'no NVIDIA driver',
      driver_version: null,
      cuda_driver_version: null,
      gpus: [],
      detected_by: null,
      attempts: [],
      simulated: false
    },
    conda_override_cuda: null,
    tools: []
  };
}

const PY310 = conda('python', '3.10.13', 'h955ad1f_0', {
  channel: 'pkgs/main'
});

function builds(
  records: PackageRecord[],
  subdir = 'linux-64'
): ICudaBuildInfo[] {
  return analyzeEnvironment([PY310, ...records], machine(subdir)).cuda;
}

/**
 * The one build of `framework` (fails the test when absent).
 */
function buildOf(
  records: PackageRecord[],
  framework: ICudaBuildInfo['framework'],
  subdir = 'linux-64'
): ICudaBuildInfo {
  const found = builds(records, subdir).find(b => b.framework === framework);
  if (!found) {
    throw new Error(`no ${framework} build`);
  }
  return found;
}

describe('readCondaBuild', () => {
  it.each([
    ['py3.10_cuda11.8_cudnn8.7.0_0', 'cuda', '11.8', 'pytorch-channel-build'],
    ['py3.8_cuda11.3_cudnn8.3.2_0', 'cuda', '11.3', 'pytorch-channel-build'],
    ['py3.11_cpu_0', 'cpu', null, 'pytorch-channel-build'],
    ['cuda118py310h1234567_0', 'cuda', '11.8', 'conda-build'],
    ['cuda118_py310h1234567_301', 'cuda', '11.8', 'conda-build-cuda-py'],
    ['cuda120_py312h1234567_300', 'cuda', '12.0', 'conda-build-cuda-py'],
    // Two digits starting with 1: the major alone, never CUDA 1.2.
    ['cuda12_py312h1234567_300', 'cuda', '12', 'conda-build-cuda-py'],
    ['cuda11_py310h1234567_300', 'cuda', '11', 'conda-build-cuda-py'],
    ['cuda126_mkl_py312_h30b5a27_306', 'cuda', '12.6', 'conda-build'],
    ['cuda112py310he2c5d6c_0', 'cuda', '11.2', 'conda-build'],
    ['cuda120py311h3ab4a32_201', 'cuda', '12.0', 'conda-build'],
    ['gpu_cuda124py39h1f2c4a9_0', 'cuda', '12.4', 'conda-build'],
    ['cpu_mkl_py312_h2a4b1c3_106', 'cpu', null, 'conda-build'],
    ['cpu_py311h5e2b7c1_0', 'cpu', null, 'conda-build'],
    ['cpu_generic_py311_h0a1b2c3_0', 'cpu', null, 'conda-build']
  ])('%s → %s %s', (build, kind, cuda, encoding) => {
    const reading = readCondaBuild(build);
    expect(reading?.kind).toBe(kind);
    expect(reading?.encoding).toBe(encoding);
    const text = reading?.cuda
      ? reading.cuda.minor === null
        ? `${reading.cuda.major}`
        : `${reading.cuda.major}.${reading.cuda.minor}`
      : null;
    expect(text).toBe(cuda);
  });

  it.each(['py310h06a4308_0', 'h955ad1f_0', 'py3.10_0', 'pyhd8ed1ab_0'])(
    '%s says nothing about CUDA',
    build => {
      expect(readCondaBuild(build)).toBeNull();
    }
  );

  it('reads defaults gpu_ builds as CUDA of unknown version', () => {
    expect(readCondaBuild('gpu_py310h1f2c4a9_0')).toMatchObject({
      kind: 'cuda',
      cuda: null
    });
  });
});

describe('readLocalVersion', () => {
  it.each([
    ['2.1.0+cu118', 'cuda', { major: 11, minor: 8 }, 'pip-local-version'],
    [
      '2.1.0+cu121.with.pypi.cudnn',
      'cuda',
      { major: 12, minor: 1 },
      'pip-local-version'
    ],
    ['2.4.1+cu121', 'cuda', { major: 12, minor: 1 }, 'pip-local-version'],
    ['1.12.1+cu102', 'cuda', { major: 10, minor: 2 }, 'pip-local-version'],
    ['2.9.0+cu130', 'cuda', { major: 13, minor: 0 }, 'pip-local-version'],
    ['2.1.0+cpu', 'cpu', null, 'pip-local-version'],
    ['2.0.1+cpu.cxx11.abi', 'cpu', null, 'pip-local-version'],
    ['2.7.0+rocm6.3', 'rocm', null, 'pip-local-version'],
    [
      '0.4.13+cuda12.cudnn89',
      'cuda',
      { major: 12, minor: null },
      'jaxlib-local-version'
    ],
    [
      '0.3.25+cuda11.cudnn805',
      'cuda',
      { major: 11, minor: null },
      'jaxlib-local-version'
    ],
    ['0.1.75+cuda111', 'cuda', { major: 11, minor: 1 }, 'jaxlib-local-version']
  ])('%s → %s', (version, kind, cuda, encoding) => {
    expect(readLocalVersion(version)).toMatchObject({ kind, cuda, encoding });
  });

  it('ignores versions without a local part', () => {
    expect(readLocalVersion('2.1.0')).toBeNull();
  });

  it.each(['2.6.0a0+ecf3bae40a.nv25.01', '2.1.0+git1234'])(
    'recognises no build in %s',
    version => {
      expect(readLocalVersion(version)).toBeNull();
    }
  );
});

describe('detectFrameworks', () => {
  it('finds every framework with its name, version and source', () => {
    const found = detectFrameworks([
      PY310,
      conda('pytorch', '2.1.0', 'py3.10_cuda11.8_cudnn8.7.0_0'),
      pip('tensorflow', '2.15.0'),
      pip('jax', '0.4.30'),
      pip('jaxlib', '0.4.30'),
      pip('transformers', '4.35.2'),
      pip('cupy-cuda12x', '13.3.0'),
      pip('onnxruntime-gpu', '1.19.2')
    ]);
    expect(found.map(f => [f.kind, f.name, f.version, f.source])).toEqual([
      ['pytorch', 'pytorch', '2.1.0', 'conda'],
      ['tensorflow', 'tensorflow', '2.15.0', 'pypi'],
      ['jax', 'jax', '0.4.30', 'pypi'],
      ['transformers', 'transformers', '4.35.2', 'pypi'],
      ['cupy', 'cupy-cuda12x', '13.3.0', 'pypi'],
      ['onnxruntime', 'onnxruntime-gpu', '1.19.2', 'pypi']
    ]);
  });

  it("prefers pip's torch over conda's pytorch: Python imports pip's copy", () => {
    const found = detectFrameworks([
      conda('pytorch', '2.1.0', 'py3.10_cuda11.8_cudnn8.7.0_0'),
      pip('torch', '2.2.0')
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: 'torch', source: 'pypi' });
  });

  it('ignores a CPU onnxruntime and recognises tensorflow-base alone', () => {
    const found = detectFrameworks([
      conda('onnxruntime', '1.17.1', 'py310h1234567_0'),
      conda('tensorflow-base', '2.12.0', 'cuda118py310h1234567_0')
    ]);
    expect(found.map(f => f.name)).toEqual(['tensorflow-base']);
  });

  it('finds the python of the environment from its conda record', () => {
    expect(envPython([PY310, pip('python-dateutil', '2.8.2')])).toBe('3.10.13');
    expect(envPython([pip('requests', '2.31.0')])).toBeNull();
  });
});

describe('CUDA build per framework', () => {
  // [case, records, framework, kind, cuda, encoding, inferred]
  const cases: [
    string,
    PackageRecord[],
    ICudaBuildInfo['framework'],
    ICudaBuildInfo['kind'],
    string | null,
    ICudaBuildInfo['encoding'],
    boolean
  ][] = [
    [
      'pytorch channel CUDA build string',
      [
        conda('pytorch', '2.1.0', 'py3.10_cuda11.8_cudnn8.7.0_0', {
          channel: 'pytorch',
          depends: ['pytorch-cuda >=11.8,<11.9', 'pytorch-mutex ==1.0 cuda']
        }),
        conda('pytorch-cuda', '11.8', 'h7e8668a_5', { channel: 'pytorch' })
      ],
      'pytorch',
      'cuda',
      '11.8',
      'pytorch-channel-build',
      false
    ],
    [
      'pytorch channel CPU build string',
      [conda('pytorch', '2.1.0', 'py3.11_cpu_0', { channel: 'pytorch' })],
      'pytorch',
      'cpu',
      null,
      'pytorch-channel-build',
      false
    ],
    [
      'pytorch-cuda X.Y when the build string is silent',
      [
        conda('pytorch', '2.2.0', 'py310_1', {
          channel: 'pytorch',
          depends: ['pytorch-cuda >=12.1,<12.2']
        }),
        conda('pytorch-cuda', '12.1', 'ha16c6d3_5', { channel: 'pytorch' })
      ],
      'pytorch',
      'cuda',
      '12.1',
      'pytorch-cuda',
      false
    ],
    [
      'cudatoolkit X.Y (pytorch ≤ 1.12) when the build string is silent',
      [
        conda('pytorch', '1.12.1', 'py38_0', {
          channel: 'pytorch',
          depends: ['cudatoolkit >=11.3,<11.4']
        }),
        conda('cudatoolkit', '11.3.1', 'h2bc3f7f_2', { channel: 'pkgs/main' })
      ],
      'pytorch',
      'cuda',
      '11.3',
      'cudatoolkit',
      false
    ],
    [
      'pytorch-mutex cpu',
      [
        conda('pytorch', '2.1.0', 'py3.10_0', {
          channel: 'pytorch',
          depends: ['pytorch-mutex 1.0 cpu']
        })
      ],
      'pytorch',
      'cpu',
      null,
      'pytorch-mutex',
      false
    ],
    [
      'conda-forge cuda118py310 (≤ 2.0)',
      [conda('pytorch', '2.0.0', 'cuda118py310h1234567_200')],
      'pytorch',
      'cuda',
      '11.8',
      'conda-build',
      false
    ],
    [
      'conda-forge cuda118_py310 (2.1–2.4)',
      [conda('pytorch', '2.3.1', 'cuda118_py310h1234567_301')],
      'pytorch',
      'cuda',
      '11.8',
      'conda-build-cuda-py',
      false
    ],
    [
      'conda-forge cuda12_py310: CUDA 12, not 1.2; the minor from cuda-version',
      [
        conda('pytorch', '2.3.1', 'cuda12_py310h1234567_300', {
          depends: ['__cuda', 'cuda-version >=12.0,<13']
        }),
        conda('cuda-version', '12.4', 'h3060b56_3', { subdir: 'noarch' })
      ],
      'pytorch',
      'cuda',
      '12.4',
      'conda-build-cuda-py',
      false
    ],
    [
      'conda-forge cuda12_py310 without cuda-version: CUDA 12.x',
      [conda('pytorch', '2.3.1', 'cuda12_py310h1234567_300')],
      'pytorch',
      'cuda',
      '12',
      'conda-build-cuda-py',
      false
    ],
    [
      'conda-forge cuda126_mkl_py312 (≥ 2.5.1)',
      [
        conda('pytorch', '2.5.1', 'cuda126_mkl_py310_h30b5a27_306', {
          depends: ['__cuda', 'cuda-version >=12.6,<13']
        }),
        conda('cuda-version', '12.6', 'h7480c83_3', { subdir: 'noarch' })
      ],
      'pytorch',
      'cuda',
      '12.6',
      'conda-build',
      false
    ],
    [
      'conda-forge cpu_mkl build',
      [conda('pytorch', '2.5.1', 'cpu_mkl_py310_h2a4b1c3_106')],
      'pytorch',
      'cpu',
      null,
      'conda-build',
      false
    ],
    [
      '__cuda in depends with the cuda-version record',
      [
        conda('cupy', '13.3.0', 'py310h1234567_2', {
          depends: ['__cuda', 'cuda-version >=12.0,<13']
        }),
        conda('cuda-version', '12.4', 'h3060b56_3', { subdir: 'noarch' })
      ],
      'cupy',
      'cuda',
      '12.4',
      'cuda-depends',
      false
    ],
    [
      'cuda-version pinned without __cuda',
      [
        conda('cupy', '13.3.0', 'py310h1234567_2', {
          depends: ['cuda-version >=11.2,<12']
        }),
        conda('cuda-version', '11.8', 'h70ddcb2_3', { subdir: 'noarch' })
      ],
      'cupy',
      'cuda',
      '11.8',
      'cuda-version',
      false
    ],
    [
      'conda-forge tensorflow cuda112py310',
      [conda('tensorflow', '2.11.0', 'cuda112py310he2c5d6c_0')],
      'tensorflow',
      'cuda',
      '11.2',
      'conda-build',
      false
    ],
    [
      'conda-forge tensorflow metapackage with the build on tensorflow-base',
      [
        conda('tensorflow', '2.15.0', 'py310h1234567_0'),
        conda('tensorflow-base', '2.15.0', 'cuda120py310h1234567_0')
      ],
      'tensorflow',
      'cuda',
      '12.0',
      'conda-build',
      false
    ],
    [
      'conda-forge jaxlib cuda120py311',
      [
        conda('jax', '0.4.23', 'pyhd8ed1ab_0', { subdir: 'noarch' }),
        conda('jaxlib', '0.4.23', 'cuda120py310h3ab4a32_201')
      ],
      'jax',
      'cuda',
      '12.0',
      'conda-build',
      false
    ],
    [
      'defaults onnxruntime gpu_cuda124py39',
      [
        conda('onnxruntime', '1.20.1', 'gpu_cuda124py310h1f2c4a9_0', {
          channel: 'pkgs/main',
          depends: ['__cuda', 'cuda-version >=12.4,<13']
        })
      ],
      'onnxruntime',
      'cuda',
      '12.4',
      'conda-build',
      false
    ],
    [
      'a conda record with no CUDA signal at all',
      [conda('tensorflow', '2.12.0', 'mkl_py310h1234567_0')],
      'tensorflow',
      'cpu',
      null,
      'no-cuda-signal',
      true
    ],
    [
      'pip torch +cu118',
      [pip('torch', '2.1.0+cu118')],
      'pytorch',
      'cuda',
      '11.8',
      'pip-local-version',
      false
    ],
    [
      'pip torch +cpu',
      [pip('torch', '2.1.0+cpu')],
      'pytorch',
      'cpu',
      null,
      'pip-local-version',
      false
    ],
    [
      'pip torch +cu121.with.pypi.cudnn',
      [pip('torch', '2.1.0+cu121.with.pypi.cudnn')],
      'pytorch',
      'cuda',
      '12.1',
      'pip-local-version',
      false
    ],
    [
      'an NGC container torch: unknown, not the PyPI default',
      [pip('torch', '2.6.0a0+ecf3bae40a.nv25.01')],
      'pytorch',
      'unknown',
      null,
      'no-cuda-signal',
      true
    ],
    [
      'a source-built torch +git: unknown, even beside NVIDIA wheels',
      [
        pip('torch', '2.1.0+git1234'),
        pip('nvidia-cuda-runtime-cu12', '12.1.105')
      ],
      'pytorch',
      'unknown',
      null,
      'no-cuda-signal',
      true
    ],
    [
      'an NGC container tensorflow: unknown, not its tested build',
      [pip('tensorflow', '2.16.1+nv24.08')],
      'tensorflow',
      'unknown',
      null,
      'no-cuda-signal',
      true
    ],
    [
      'a jaxlib with an unknown local version and no plugin: unknown, not CPU',
      [pip('jax', '0.4.30'), pip('jaxlib', '0.4.30+custom')],
      'jax',
      'unknown',
      null,
      'no-cuda-signal',
      true
    ],
    [
      'pip torch +rocm6.3',
      [pip('torch', '2.7.0+rocm6.3')],
      'pytorch',
      'rocm',
      null,
      'pip-local-version',
      false
    ],
    [
      'plain PyPI torch 2.1 with nvidia-*-cu12 wheels',
      [
        pip('torch', '2.1.0'),
        pip('nvidia-cuda-runtime-cu12', '12.1.105'),
        pip('nvidia-cublas-cu12', '12.1.3.1'),
        pip('nvidia-cudnn-cu12', '8.9.2.26')
      ],
      'pytorch',
      'cuda',
      '12.1',
      'nvidia-wheels',
      false
    ],
    [
      'plain PyPI torch 1.13 with nvidia-*-cu11 wheels, no runtime wheel',
      [
        pip('torch', '1.13.1'),
        pip('nvidia-cublas-cu11', '11.10.3.66'),
        pip('nvidia-cudnn-cu11', '8.5.0.96')
      ],
      'pytorch',
      'cuda',
      '11',
      'nvidia-wheels',
      false
    ],
    [
      'plain PyPI torch 2.11 with the suffix-less CUDA 13 wheels',
      [
        pip('torch', '2.11.0'),
        pip('nvidia-cuda-runtime', '13.0.48'),
        pip('nvidia-cublas', '13.1.0.3'),
        pip('nvidia-cudnn-cu13', '9.17.1.4')
      ],
      'pytorch',
      'cuda',
      '13.0',
      'nvidia-wheels',
      false
    ],
    [
      'plain PyPI torch 2.1 on Linux without wheels: the PyPI default',
      [pip('torch', '2.1.0')],
      'pytorch',
      'cuda',
      '12.1',
      'pypi-default',
      true
    ],
    [
      'plain PyPI torch 2.7 on Linux: the PyPI default',
      [pip('torch', '2.7.1')],
      'pytorch',
      'cuda',
      '12.6',
      'pypi-default',
      true
    ],
    [
      'jax-cuda12-plugin with the runtime wheel',
      [
        pip('jax', '0.4.30'),
        pip('jaxlib', '0.4.30'),
        pip('jax-cuda12-plugin', '0.4.30'),
        pip('jax-cuda12-pjrt', '0.4.30'),
        pip('nvidia-cuda-runtime-cu12', '12.6.77')
      ],
      'jax',
      'cuda',
      '12.6',
      'jax-plugin',
      false
    ],
    [
      'jax-cuda13-plugin (cuda13-local: no NVIDIA wheels)',
      [
        pip('jax', '0.8.0'),
        pip('jaxlib', '0.8.0'),
        pip('jax-cuda13-plugin', '0.8.0')
      ],
      'jax',
      'cuda',
      '13',
      'jax-plugin',
      false
    ],
    [
      'pre-plugin jaxlib +cuda12.cudnn89',
      [pip('jax', '0.4.13'), pip('jaxlib', '0.4.13+cuda12.cudnn89')],
      'jax',
      'cuda',
      '12',
      'jaxlib-local-version',
      false
    ],
    [
      'plain pip jaxlib without a plugin is CPU-only',
      [pip('jax', '0.4.30'), pip('jaxlib', '0.4.30')],
      'jax',
      'cpu',
      null,
      'jax-plugin',
      false
    ],
    [
      'cupy-cuda12x',
      [pip('cupy-cuda12x', '13.3.0')],
      'cupy',
      'cuda',
      '12',
      'cupy-wheel',
      false
    ],
    [
      'cupy-cuda11x',
      [pip('cupy-cuda11x', '12.3.0')],
      'cupy',
      'cuda',
      '11',
      'cupy-wheel',
      false
    ],
    [
      'legacy cupy-cuda102',
      [pip('cupy-cuda102', '9.6.0')],
      'cupy',
      'cuda',
      '10.2',
      'cupy-wheel',
      false
    ],
    [
      'tensorflow[and-cuda] through nvidia-*-cu12 wheels',
      [
        pip('tensorflow', '2.15.0'),
        pip('nvidia-cuda-runtime-cu12', '12.2.140'),
        pip('nvidia-cudnn-cu12', '8.9.4.25')
      ],
      'tensorflow',
      'cuda',
      '12.2',
      'nvidia-wheels',
      false
    ],
    [
      'pip tensorflow without CUDA wheels: its tested build',
      [pip('tensorflow', '2.16.1')],
      'tensorflow',
      'cuda',
      '12.3',
      'tensorflow-tested-build',
      true
    ],
    [
      'tensorflow-cpu',
      [pip('tensorflow-cpu', '2.15.0')],
      'tensorflow',
      'cpu',
      null,
      'platform-default',
      false
    ],
    [
      'onnxruntime-gpu ≥ 1.19 is CUDA 12',
      [pip('onnxruntime-gpu', '1.19.2')],
      'onnxruntime',
      'cuda',
      '12',
      'onnxruntime-gpu',
      true
    ],
    [
      'onnxruntime-gpu < 1.19 was CUDA 11.8',
      [pip('onnxruntime-gpu', '1.18.0')],
      'onnxruntime',
      'cuda',
      '11.8',
      'onnxruntime-gpu',
      true
    ]
  ];

  it.each(cases)(
    '%s',
    (_name, records, framework, kind, cuda, encoding, inferred) => {
      const build = buildOf(records, framework);
      expect(build.kind).toBe(kind);
      expect(build.cuda).toBe(cuda);
      expect(build.encoding).toBe(encoding);
      expect(build.inferred).toBe(inferred);
      expect(build.sources.length).toBeGreaterThan(0);
    }
  );

  it.each([
    ['2.5.1', '12.4', false],
    ['2.7.0', '12.6', true],
    ['2.9.0', '12.8', false],
    ['2.11.0', '13.0', true],
    ['1.13.1', '11.7', true]
  ])(
    'plain PyPI torch %s on linux-64 defaults to CUDA %s (verified: %s)',
    (version, cuda, verified) => {
      const build = buildOf([pip('torch', version)], 'pytorch');
      expect(build).toMatchObject({ cuda, verified, inferred: true });
    }
  );

  it.each(['win-64', 'osx-arm64'])(
    'plain PyPI torch on %s is CPU-only',
    subdir => {
      const build = buildOf([pip('torch', '2.1.0')], 'pytorch', subdir);
      expect(build).toMatchObject({
        kind: 'cpu',
        encoding: 'platform-default'
      });
    }
  );

  it('leaves a plain PyPI torch on linux-aarch64 unknown', () => {
    expect(
      buildOf([pip('torch', '2.1.0')], 'pytorch', 'linux-aarch64').kind
    ).toBe('unknown');
  });

  it('lists the packages that carry the evidence', () => {
    const build = buildOf(
      [
        conda('pytorch', '2.1.0', 'py3.10_cuda11.8_cudnn8.7.0_0', {
          channel: 'pytorch',
          depends: ['pytorch-cuda >=11.8,<11.9']
        }),
        conda('pytorch-cuda', '11.8', 'h7e8668a_5', { channel: 'pytorch' })
      ],
      'pytorch'
    );
    expect(build.packages).toEqual(['pytorch', 'pytorch-cuda']);
  });

  it('marks the cuda{XY}_py… form unverified, and the ≥ 2.5.1 form verified', () => {
    expect(
      buildOf(
        [conda('pytorch', '2.3.1', 'cuda118_py310h1234567_301')],
        'pytorch'
      ).verified
    ).toBe(false);
    expect(
      buildOf(
        [conda('pytorch', '2.5.1', 'cuda126_mkl_py310_h30b5a27_306')],
        'pytorch'
      ).verified
    ).toBe(true);
  });

  it('has no build for Transformers, which is pure Python', () => {
    expect(builds([pip('transformers', '4.35.2')])).toEqual([]);
  });
});

import type { PackageRecord } from '../api';
import { analyzeEnvironment } from '../compat/analyze';
import { VERDICT_CODES } from '../compat/codes';
import type { VerdictCode } from '../compat/codes';
import type { GpuDevice, GpuFacts, SystemFacts } from '../compat/facts';
import type { IVerdict } from '../compat/verdict';

/*
 * The verdicts of the compatibility engine: the fixture environments of this
 * repository (fixture_root/catalogue.py, frameworks.py) and real-world
 * encodings against drivers, following cuda-compat.md B2: ok if the driver's
 * CUDA ≥ the package's; minor-version compatibility if same major and the
 * driver ≥ the major's floor; a failure otherwise.
 */

function conda(
  name: string,
  version: string,
  build: string,
  extra: Partial<PackageRecord> = {}
): PackageRecord {
  return {
    name,
    normalized_name: name.toLowerCase().replace(/[-_.]+/g, '-'),
    version,
    build,
    build_number: 0,
    channel: 'conda-forge',
    subdir: 'linux-64',
    depends: [],
    constrains: [],
    size: null,
    url: null,
    requested_spec: null,
    source: 'conda',
    installer: null,
    editable: false,
    conflicts: [],
    ...extra
  };
}

function pip(
  name: string,
  version: string,
  extra: Partial<PackageRecord> = {}
): PackageRecord {
  return conda(name, version, 'pypi_0', {
    channel: 'pypi',
    subdir: '',
    source: 'pypi',
    installer: 'pip',
    ...extra
  });
}

const A100: GpuDevice = {
  index: 0,
  name: 'NVIDIA A100-SXM4-80GB',
  memory_mib: 81920,
  compute_capability: '8.0'
};

function gpu(name: string, cc: string | null): GpuDevice {
  return { index: 0, name, memory_mib: null, compute_capability: cc };
}

/**
 * A Linux x86_64 machine with one GPU on `driver`; `cuda` is what the driver
 * reports (null: only the driver version is known).
 */
function machine(
  driver: string,
  cuda: string | null,
  gpus: GpuDevice[] = [A100],
  extra: Partial<SystemFacts> = {}
): SystemFacts {
  return {
    platform: { system: 'Linux', machine: 'x86_64', conda_subdir: 'linux-64' },
    gpu: {
      available: true,
      reason: null,
      driver_version: driver,
      cuda_driver_version: cuda,
      gpus,
      detected_by: 'nvml',
      attempts: [{ method: 'nvml', ok: true, detail: 'NVML 12.580.65' }],
      simulated: false
    },
    conda_override_cuda: null,
    tools: [],
    ...extra
  };
}

const NO_GPU: GpuFacts = {
  available: false,
  reason: 'no NVIDIA kernel module',
  driver_version: null,
  cuda_driver_version: null,
  gpus: [],
  detected_by: null,
  attempts: [
    { method: 'nvml', ok: false, detail: 'NVML Shared Library Not Found' },
    {
      method: 'sysfs',
      ok: false,
      detail: '/sys/module/nvidia/version does not exist'
    },
    { method: 'nvidia-smi', ok: false, detail: 'not found on PATH' }
  ],
  simulated: false
};

function noGpu(extra: Partial<SystemFacts> = {}): SystemFacts {
  return { ...machine('0', null), gpu: NO_GPU, ...extra };
}

function codes(verdicts: IVerdict[]): VerdictCode[] {
  return verdicts.map(v => v.code);
}

function only(verdicts: IVerdict[], code: VerdictCode): IVerdict {
  const found = verdicts.filter(v => v.code === code);
  expect(found).toHaveLength(1);
  return found[0];
}

// --- Fixture environments (fixture_root/catalogue.py, frameworks.py), records as the server reads them.

const MAIN = 'pkgs/main';

/** glm_finetune: pytorch channel 2.1.0 CUDA 11.8 build, pytorch-cuda 11.8, Python 3.10, Hugging Face from pip. */
const GLM_FINETUNE: PackageRecord[] = [
  conda('python', '3.10.13', 'h955ad1f_0', {
    channel: MAIN,
    requested_spec: 'python ==3.10.13'
  }),
  conda('pytorch', '2.1.0', 'py3.10_cuda11.8_cudnn8.7.0_0', {
    channel: 'pytorch',
    depends: [
      'blas * mkl',
      'filelock',
      'jinja2',
      'llvm-openmp <16',
      'mkl >=2018',
      'networkx',
      'python >=3.10,<3.11.0a0',
      'pytorch-cuda >=11.8,<11.9',
      'pytorch-mutex ==1.0 cuda',
      'pyyaml',
      'sympy',
      'torchtriton ==2.1.0',
      'typing_extensions'
    ],
    constrains: ['cpuonly <0'],
    requested_spec: 'pytorch ==2.1.0 py3.10_cuda11.8_cudnn8.7.0_0'
  }),
  conda('pytorch-cuda', '11.8', 'h7e8668a_5', {
    channel: 'pytorch',
    build_number: 5,
    depends: [
      'cuda-cudart >=11.8,<12.0',
      'cuda-cupti >=11.8,<12.0',
      'cuda-libraries >=11.8,<12.0',
      'cuda-nvrtc >=11.8,<12.0',
      'cuda-nvtx >=11.8,<12.0',
      'cuda-runtime >=11.8,<11.9',
      'libcublas >=11.11.3.6,<12.0.1.189',
      'libcufft >=10.9.0.58,<11.0.0.21',
      'libcusolver >=11.4.1.48,<11.4.2.57',
      'libcusparse >=11.7.5.86,<12.0.0.76'
    ],
    requested_spec: 'pytorch-cuda ==11.8'
  }),
  conda('pytorch-mutex', '1.0', 'cuda', {
    channel: 'pytorch',
    subdir: 'noarch'
  }),
  conda('torchtriton', '2.1.0', 'py310', {
    channel: 'pytorch',
    depends: ['filelock', 'python >=3.10,<3.11.0a0', 'pytorch']
  }),
  conda('torchvision', '0.16.0', 'py310_cu118', {
    channel: 'pytorch',
    depends: [
      'numpy >=1.23.5',
      'python >=3.10,<3.11.0a0',
      'pytorch ==2.1.0',
      'pytorch-cuda 11.8.*',
      'pytorch-mutex ==1.0 cuda'
    ]
  }),
  conda('torchaudio', '2.1.0', 'py310_cu118', {
    channel: 'pytorch',
    depends: [
      'python >=3.10,<3.11.0a0',
      'pytorch ==2.1.0',
      'pytorch-cuda 11.8.*',
      'pytorch-mutex ==1.0 cuda'
    ]
  }),
  conda('cuda-runtime', '11.8.0', '0', {
    channel: 'nvidia',
    depends: ['cuda-libraries >=11.8.0']
  }),
  conda('cuda-cudart', '11.8.89', '0', { channel: 'nvidia' }),
  conda('libcublas', '11.11.3.6', '0', { channel: 'nvidia' }),
  conda('numpy', '1.26.2', 'py310h5f9d8c6_0', {
    channel: MAIN,
    depends: ['blas * mkl', 'python >=3.10,<3.11.0a0']
  }),
  pip('transformers', '4.35.2', {
    depends: [
      'filelock',
      'huggingface-hub<1.0,>=0.16.4',
      'numpy>=1.17',
      'tokenizers<0.19,>=0.14',
      'safetensors>=0.3.1',
      'torch!=1.12.0,>=1.10; extra == "torch"'
    ]
  }),
  pip('datasets', '2.15.0'),
  pip('accelerate', '0.25.0', { depends: ['torch>=1.10.0'] }),
  pip('peft', '0.7.1', { depends: ['torch>=1.13.0', 'transformers'] }),
  pip('bitsandbytes', '0.41.3')
];

/** legacy_bert: pytorch 1.12.1 CUDA 11.3 through cudatoolkit, Python 3.8. */
const LEGACY_BERT: PackageRecord[] = [
  conda('python', '3.8.18', 'h955ad1f_0', { channel: MAIN }),
  conda('pytorch', '1.12.1', 'py3.8_cuda11.3_cudnn8.3.2_0', {
    channel: 'pytorch',
    depends: [
      'blas * mkl',
      'cudatoolkit >=11.3,<11.4',
      'python >=3.8,<3.9.0a0',
      'pytorch-mutex 1.0 cuda'
    ],
    constrains: ['cpuonly <0']
  }),
  conda('cudatoolkit', '11.3.1', 'h2bc3f7f_2', {
    channel: MAIN,
    constrains: ['__cuda >=11']
  }),
  conda('pytorch-mutex', '1.0', 'cuda', {
    channel: 'pytorch',
    subdir: 'noarch'
  })
];

/** cf_cuda12: conda-forge pytorch 2.5.1 for CUDA 12.6, Python 3.12. */
const CF_CUDA12: PackageRecord[] = [
  conda('python', '3.12.7', 'hc5c86c4_0_cpython'),
  conda('pytorch', '2.5.1', 'cuda126_mkl_py312_h30b5a27_306', {
    depends: [
      '__cuda',
      '__glibc >=2.17,<3.0.a0',
      'cuda-cudart >=12.6.77,<13.0a0',
      'cuda-version >=12.6,<13',
      'python >=3.12,<3.13.0a0'
    ],
    constrains: ['pytorch-cpu ==99999999', 'pytorch-gpu ==2.5.1']
  }),
  conda('cuda-version', '12.6', 'h7480c83_3', {
    subdir: 'noarch',
    constrains: ['__cuda >=12', 'cudatoolkit 12.6|12.6.*']
  })
];

/** cpu_only: pytorch channel 2.1.0 CPU build with cpuonly, Python 3.11. */
const CPU_ONLY: PackageRecord[] = [
  conda('python', '3.11.5', 'h955ad1f_0', { channel: MAIN }),
  conda('pytorch', '2.1.0', 'py3.11_cpu_0', {
    channel: 'pytorch',
    depends: ['python >=3.11,<3.12.0a0', 'pytorch-mutex 1.0 cpu'],
    constrains: ['cpuonly']
  }),
  conda('pytorch-mutex', '1.0', 'cpu', {
    channel: 'pytorch',
    subdir: 'noarch'
  }),
  conda('cpuonly', '2.0', '0', {
    channel: 'pytorch',
    subdir: 'noarch',
    depends: ['pytorch-mutex 1.0 cpu']
  })
];

/** pip_shadow: pip numpy 1.26.4 over conda numpy 1.24.3; the server marks both sides. */
const PIP_SHADOW: PackageRecord[] = [
  conda('python', '3.11.5', 'h955ad1f_0', { channel: MAIN }),
  conda('numpy', '1.24.3', 'py311h08b1b3b_0', {
    channel: MAIN,
    conflicts: [{ name: 'numpy', version: '1.26.4', source: 'pypi' }]
  }),
  pip('numpy', '1.26.4', {
    conflicts: [{ name: 'numpy', version: '1.24.3', source: 'conda' }]
  })
];

const PY310 = conda('python', '3.10.13', 'h955ad1f_0', { channel: MAIN });
const PY311 = conda('python', '3.11.9', 'h955ad1f_0', { channel: MAIN });
const PY312 = conda('python', '3.12.7', 'h955ad1f_0', { channel: MAIN });

describe('glm_finetune against drivers', () => {
  // [driver, CUDA the driver reports (null: inferred from B1), verdict, status]
  it.each([
    ['450.80.02', '11.0', 'minor-version-compat', 'warning'],
    ['450.80.02', null, 'minor-version-compat', 'warning'],
    ['520.61.05', '11.8', 'cuda-build-ok', 'ok'],
    ['520.61.05', null, 'cuda-build-ok', 'ok'],
    ['525.60.13', '12.0', 'cuda-build-ok', 'ok'],
    ['525.60.13', null, 'cuda-build-ok', 'ok'],
    ['580.65.06', '13.0', 'cuda-build-ok', 'ok'],
    ['580.65.06', null, 'cuda-build-ok', 'ok']
  ] as const)(
    'driver %s (reported CUDA %s) → %s',
    (driver, cuda, code, status) => {
      const result = analyzeEnvironment(GLM_FINETUNE, machine(driver, cuda));
      expect(result.python).toBe('3.10.13');
      expect(result.frameworks.map(f => [f.name, f.version, f.source])).toEqual(
        [
          ['pytorch', '2.1.0', 'conda'],
          ['transformers', '4.35.2', 'pypi']
        ]
      );
      expect(result.cuda).toHaveLength(1);
      expect(result.cuda[0]).toMatchObject({
        framework: 'pytorch',
        kind: 'cuda',
        cuda: '11.8',
        encoding: 'pytorch-channel-build',
        packages: ['pytorch', 'pytorch-cuda']
      });
      expect(codes(result.verdicts)).toEqual([code]);
      expect(result.status).toBe(status);
      const v = result.verdicts[0];
      expect(v.packages).toEqual(['pytorch', 'pytorch-cuda']);
      expect(v.message).toContain(`driver ${driver}`);
      if (cuda === null) {
        expect(v.message).toContain('inferred from the driver version');
      }
    }
  );

  it('explains the minor-version caveats on 450.80.02 and offers the full driver', () => {
    const v = analyzeEnvironment(GLM_FINETUNE, machine('450.80.02', '11.0'))
      .verdicts[0];
    expect(v.message).toContain('PyTorch 2.1.0 is built for CUDA 11.8');
    expect(v.message).toContain('driver ≥ 450.80.02');
    expect(v.message).toContain('cudaErrorUnsupportedPtxVersion');
    expect(v.message).toContain('cudaErrorCallRequiresNewerDriver');
    // PyTorch 2.1 has no build for CUDA ≤ 11.0: the driver update is the fix.
    expect(v.fix).toBe(
      'Update the NVIDIA driver to ≥ 520.61.05 to run CUDA 11.8 in full.'
    );
    expect(v.sources).toEqual(expect.arrayContaining(['B1', 'N1', 'N2']));
    expect(v.verified).toBe(true);
  });

  it('warns on a machine without a GPU, saying which detection said so', () => {
    const result = analyzeEnvironment(GLM_FINETUNE, noGpu());
    expect(codes(result.verdicts)).toEqual(['cuda-build-without-gpu']);
    expect(result.status).toBe('warning');
    const v = result.verdicts[0];
    expect(v.message).toContain('no NVIDIA kernel module');
    expect(v.message).toContain('nvml: NVML Shared Library Not Found');
    expect(v.message).toContain('nvidia-smi: not found on PATH');
    expect(v.fix).toContain(
      '`conda install pytorch=2.1.0 torchvision=0.16.0 torchaudio=2.1.0 cpuonly -c pytorch`'
    );
  });
});

describe('other fixture environments', () => {
  it('legacy_bert: CUDA 11.3 through cudatoolkit runs on 470.82.01', () => {
    const result = analyzeEnvironment(
      LEGACY_BERT,
      machine('470.82.01', '11.4')
    );
    expect(result.cuda[0]).toMatchObject({ cuda: '11.3' });
    expect(result.cuda[0].packages).toEqual(['pytorch', 'cudatoolkit']);
    expect(codes(result.verdicts)).toEqual(['cuda-build-ok']);
  });

  it('legacy_bert on 450.80.02 (CUDA 11.0) runs through minor-version compatibility', () => {
    const v = only(
      analyzeEnvironment(LEGACY_BERT, machine('450.80.02', '11.0')).verdicts,
      'minor-version-compat'
    );
    expect(v.fix).toContain('≥ 465.19.01');
  });

  it('cf_cuda12 on 520.61.05 (CUDA 11.8): driver too old, conda-forge fix', () => {
    const result = analyzeEnvironment(CF_CUDA12, machine('520.61.05', '11.8'));
    const v = only(result.verdicts, 'driver-too-old');
    expect(result.status).toBe('error');
    expect(v.message).toContain('a CUDA 12.x build needs a driver ≥ 525.60.13');
    expect(v.fix).toContain('Update the NVIDIA driver to ≥ 560.28.03');
    expect(v.fix).toContain(
      '`conda install -c conda-forge "pytorch=2.5.1=cuda*" "cuda-version<=11.8"`'
    );
  });

  it('cf_cuda12 on 525.60.13 (CUDA 12.0) runs through minor-version compatibility', () => {
    const result = analyzeEnvironment(CF_CUDA12, machine('525.60.13', '12.0'));
    expect(codes(result.verdicts)).toEqual(['minor-version-compat']);
  });

  it('cpu_only on a GPU machine: CPU build, with the CUDA build to install', () => {
    const result = analyzeEnvironment(CPU_ONLY, machine('535.104.05', '12.2'));
    const v = only(result.verdicts, 'cpu-build-on-gpu-machine');
    expect(v.severity).toBe('warning');
    expect(v.message).toContain('NVIDIA A100-SXM4-80GB');
    expect(v.fix).toContain(
      '`conda install pytorch=2.1.0 pytorch-cuda=12.1 -c pytorch -c nvidia`'
    );
  });

  it('cpu_only on a machine without a GPU is fine', () => {
    const result = analyzeEnvironment(CPU_ONLY, noGpu());
    expect(codes(result.verdicts)).toEqual(['cpu-build-ok']);
    expect(result.status).toBe('ok');
  });

  it('pip_shadow: one verdict with an accurate fix', () => {
    const result = analyzeEnvironment(PIP_SHADOW, noGpu());
    const v = only(result.verdicts, 'pip-shadows-conda');
    expect(v.packages).toEqual(['numpy']);
    expect(v.message).toContain(
      "pip installed numpy 1.26.4 over conda's numpy 1.24.3"
    );
    expect(v.fix).toContain('`pip uninstall numpy`');
    expect(v.fix).toContain('`conda install --force-reinstall numpy=1.24.3`');
    expect(result.status).toBe('warning');
  });

  it('an environment without frameworks has nothing to judge', () => {
    const result = analyzeEnvironment(
      [PY311, conda('requests', '2.31.0', 'py311h06a4308_0')],
      machine('550.54.15', '12.4')
    );
    expect(result.verdicts).toEqual([]);
    expect(result.status).toBe('unknown');
  });
});

describe('driver rules', () => {
  // [case, expected code, records, driver, reported CUDA]
  it.each([
    [
      'cu121 wheel on 520.61.05',
      'driver-too-old',
      [pip('torch', '2.4.0+cu121')],
      '520.61.05',
      '11.8'
    ],
    [
      'cu118 wheel on 580.65.06',
      'cuda-build-ok',
      [pip('torch', '2.1.0+cu118')],
      '580.65.06',
      '13.0'
    ],
    [
      'cu124 wheel on 525.60.13',
      'minor-version-compat',
      [pip('torch', '2.5.1+cu124')],
      '525.60.13',
      '12.0'
    ],
    [
      'cu124 wheel on 550.54.15',
      'cuda-build-ok',
      [pip('torch', '2.5.1+cu124')],
      '550.54.15',
      '12.4'
    ],
    [
      'cu130 wheel on 575.57.08',
      'driver-too-old',
      [pip('torch', '2.9.0+cu130')],
      '575.57.08',
      '12.9'
    ],
    [
      'cu102 wheel on 418.39 (no MVC for 10.x)',
      'driver-too-old',
      [pip('torch', '1.12.1+cu102')],
      '418.39',
      '10.1'
    ],
    [
      'cu118 wheel on 450.51.05, below the 11.x floor',
      'driver-too-old',
      [pip('torch', '2.1.0+cu118')],
      '450.51.05',
      '11.0'
    ],
    [
      'cupy-cuda12x on 525.60.13 (any 12.x)',
      'cuda-build-ok',
      [pip('cupy-cuda12x', '13.3.0')],
      '525.60.13',
      '12.0'
    ],
    [
      'jax-cuda12-plugin on 520.61.05',
      'driver-too-old',
      [
        pip('jax', '0.4.30'),
        pip('jaxlib', '0.4.30'),
        pip('jax-cuda12-plugin', '0.4.30')
      ],
      '520.61.05',
      '11.8'
    ],
    [
      'jax-cuda13-plugin on 580.82.07',
      'cuda-build-ok',
      [
        PY312,
        pip('jax', '0.8.0'),
        pip('jaxlib', '0.8.0'),
        pip('jax-cuda13-plugin', '0.8.0')
      ],
      '580.82.07',
      '13.0'
    ],
    [
      'onnxruntime-gpu 1.19 on 470.82.01',
      'driver-too-old',
      [pip('onnxruntime-gpu', '1.19.2')],
      '470.82.01',
      '11.4'
    ],
    [
      'tensorflow[and-cuda] 2.15 on 535.104.05',
      'cuda-build-ok',
      [
        pip('tensorflow', '2.15.0'),
        pip('nvidia-cuda-runtime-cu12', '12.2.140')
      ],
      '535.104.05',
      '12.2'
    ]
  ] as const)('%s → %s', (_name, code, records, driver, cuda) => {
    const withPython =
      records[0].name === 'python' ? records : [PY310, ...records];
    const result = analyzeEnvironment([...withPython], machine(driver, cuda));
    expect(codes(result.verdicts)).toEqual([code]);
    expect(result.verdicts[0].severity).toBe(VERDICT_CODES[code].severity);
  });

  it('offers the newest PyTorch wheel the driver runs, and the driver', () => {
    const v = analyzeEnvironment(
      [PY310, pip('torch', '2.4.0+cu121'), pip('torchvision', '0.19.0+cu121')],
      machine('520.61.05', '11.8')
    ).verdicts[0];
    expect(v.message).toContain('a CUDA 12.x build needs a driver ≥ 525.60.13');
    expect(v.fix).toBe(
      'Update the NVIDIA driver to ≥ 530.30.02 to run CUDA 12.1 in full (≥ 525.60.13 runs it through minor-version compatibility), or install a build for CUDA ≤ 11.8: `pip install torch==2.4.0 torchvision==0.19.0 --index-url https://download.pytorch.org/whl/cu118`.'
    );
  });

  it('names the 13.x floor as unverified', () => {
    const v = analyzeEnvironment(
      [PY310, pip('torch', '2.9.0+cu130')],
      machine('575.57.08', '12.9')
    ).verdicts[0];
    expect(v.message).toContain('a CUDA 13.x build needs a driver ≥ 580.65.06');
    expect(v.verified).toBe(false);
    expect(v.fix).toContain(
      '--index-url https://download.pytorch.org/whl/cu128'
    );
  });

  it('says a CUDA 10 build has no minor-version compatibility', () => {
    const v = analyzeEnvironment(
      [PY310, pip('torch', '1.12.1+cu102')],
      machine('418.39', '10.1')
    ).verdicts[0];
    expect(v.message).toContain('CUDA 10.x has no minor-version compatibility');
    expect(v.fix).toContain('≥ 440.33');
  });

  it('judges a plain PyPI torch by its inferred default and says it is unverified', () => {
    const result = analyzeEnvironment(
      [PY310, pip('torch', '2.5.1')],
      machine('525.60.13', '12.0')
    );
    expect(result.cuda[0]).toMatchObject({ cuda: '12.4', inferred: true });
    const v = only(result.verdicts, 'minor-version-compat');
    expect(v.verified).toBe(false);
  });

  it('offers tensorflow 2.14 for a CUDA 11.8 driver', () => {
    const v = analyzeEnvironment(
      [PY310, pip('tensorflow', '2.16.1')],
      machine('520.61.05', '11.8')
    ).verdicts[0];
    expect(v.code).toBe('driver-too-old');
    expect(v.fix).toContain('`pip install "tensorflow==2.14.*"`');
  });

  it('reports a CUDA build of unknown CUDA as not checked', () => {
    const result = analyzeEnvironment(
      [
        PY311,
        conda('cupy', '13.3.0', 'py311h1234567_2', { depends: ['__cuda'] })
      ],
      machine('550.54.15', '12.4')
    );
    const v = only(result.verdicts, 'build-unknown');
    expect(v.fix).toContain('import cupy');
    expect(result.status).toBe('unknown');
  });

  it('reports a driver that said neither its version nor its CUDA', () => {
    const facts = machine('0', null);
    facts.gpu.driver_version = null;
    const result = analyzeEnvironment(
      [PY310, pip('torch', '2.1.0+cu118')],
      facts
    );
    only(result.verdicts, 'driver-cuda-unknown');
  });

  it('notes a ROCm build', () => {
    const result = analyzeEnvironment(
      [PY310, pip('torch', '2.5.1+rocm6.2')],
      machine('550.54.15', '12.4')
    );
    const v = only(result.verdicts, 'rocm-build');
    expect(v.message).toContain('NVIDIA A100-SXM4-80GB');
    expect(v.fix).toContain('whl/cu124');
  });

  it('labels simulated GPU facts', () => {
    const facts = machine('525.60.13', '12.0');
    facts.gpu.simulated = true;
    const v = analyzeEnvironment(GLM_FINETUNE, facts).verdicts[0];
    expect(v.message).toContain('simulated');
  });
});

describe('python rules', () => {
  it.each([
    [
      'torch 2.1 on Python 3.12',
      'python-unsupported',
      [PY312, pip('torch', '2.1.0+cu121')],
      '"torch>=2.4"'
    ],
    [
      'torch 2.9 on Python 3.9',
      'python-unsupported',
      [conda('python', '3.9.18', 'h0'), pip('torch', '2.9.0+cu128')],
      '"torch<2.9"'
    ],
    [
      'torch 2.2 on Python 3.12',
      'python-experimental',
      [PY312, pip('torch', '2.2.0+cu121')],
      '"torch>=2.4"'
    ],
    [
      'tensorflow 2.15 on Python 3.12',
      'python-unsupported',
      [PY312, pip('tensorflow', '2.15.0')],
      '"tensorflow>=2.16"'
    ],
    [
      'jaxlib 0.4.31 on Python 3.9',
      'python-unsupported',
      [
        conda('python', '3.9.18', 'h0'),
        pip('jax', '0.4.31'),
        pip('jaxlib', '0.4.31')
      ],
      '"jax<0.4.31"'
    ],
    [
      'jaxlib 0.4.20 on Python 3.13',
      'python-unsupported',
      [
        conda('python', '3.13.1', 'h0'),
        pip('jax', '0.4.20'),
        pip('jaxlib', '0.4.20')
      ],
      '"jax>=0.4.34"'
    ],
    [
      'transformers 4.47 on Python 3.8',
      'python-unsupported',
      [conda('python', '3.8.18', 'h0'), pip('transformers', '4.47.0')],
      '"transformers<4.47"'
    ],
    [
      'conda pytorch channel 2.1 on Python 3.13 moves to conda-forge',
      'python-unsupported',
      [
        conda('python', '3.13.1', 'h0'),
        conda('pytorch', '2.1.0', 'py3.10_cpu_0', { channel: 'pytorch' })
      ],
      '`conda install -c conda-forge "pytorch>=2.6"`'
    ]
  ] as const)('%s → %s', (_name, code, records, fix) => {
    const result = analyzeEnvironment([...records], noGpu());
    const v = only(result.verdicts, code);
    expect(v.fix).toContain(fix);
    expect(v.packages).toContain('python');
  });

  it('accepts Python inside the range', () => {
    const result = analyzeEnvironment(
      [PY311, pip('torch', '2.1.0+cpu'), pip('transformers', '4.35.2')],
      noGpu()
    );
    expect(codes(result.verdicts)).toEqual(['cpu-build-ok']);
  });

  it('marks Transformers facts as unverified', () => {
    const v = analyzeEnvironment(
      [conda('python', '3.8.18', 'h0'), pip('transformers', '4.47.0')],
      noGpu()
    ).verdicts[0];
    expect(v.verified).toBe(false);
    expect(v.message).toBe(
      'Transformers 4.47.0 supports Python ≥ 3.9; this environment has Python 3.8.18.'
    );
  });

  it('flags a Transformers release that needs a newer torch', () => {
    const v = only(
      analyzeEnvironment(
        [PY310, pip('torch', '2.1.0+cpu'), pip('transformers', '4.56.0')],
        noGpu()
      ).verdicts,
      'transformers-needs-newer-torch'
    );
    expect(v.message).toContain('needs PyTorch ≥ 2.2');
    expect(v.fix).toContain('`pip install "transformers<4.56"`');
  });
});

describe('mixed CUDA majors', () => {
  it('cu11 and cu12 NVIDIA wheels', () => {
    const result = analyzeEnvironment(
      [
        PY310,
        pip('torch', '2.1.0'),
        pip('nvidia-cuda-runtime-cu12', '12.1.105'),
        pip('nvidia-cublas-cu12', '12.1.3.1'),
        pip('nvidia-cublas-cu11', '11.10.3.66')
      ],
      machine('550.54.15', '12.4')
    );
    const v = only(result.verdicts, 'mixed-cuda-majors');
    expect(result.status).toBe('error');
    expect(v.message).toContain('CUDA 11 (nvidia-cublas-cu11)');
    expect(v.fix).toContain('`pip uninstall -y nvidia-cublas-cu11`');
  });

  it('cudatoolkit 11 with pytorch-cuda 12', () => {
    const result = analyzeEnvironment(
      [
        PY310,
        conda('pytorch', '2.2.0', 'py3.10_cuda12.1_cudnn8.9.2_0', {
          channel: 'pytorch',
          depends: ['pytorch-cuda >=12.1,<12.2']
        }),
        conda('pytorch-cuda', '12.1', 'ha16c6d3_5', { channel: 'pytorch' }),
        conda('cudatoolkit', '11.3.1', 'h2bc3f7f_2', { channel: MAIN })
      ],
      machine('550.54.15', '12.4')
    );
    const v = only(result.verdicts, 'mixed-cuda-majors');
    expect(v.packages).toEqual(
      expect.arrayContaining(['pytorch', 'pytorch-cuda', 'cudatoolkit'])
    );
    expect(v.fix).toContain('`conda remove cudatoolkit`');
  });

  it('does not count an inferred default as a second major', () => {
    const result = analyzeEnvironment(
      [
        PY310,
        pip('onnxruntime-gpu', '1.18.0'),
        pip('nvidia-cublas-cu12', '12.1.3.1')
      ],
      machine('550.54.15', '12.4')
    );
    expect(codes(result.verdicts)).not.toContain('mixed-cuda-majors');
  });
});

describe('GPU architecture', () => {
  // [case, covered, records, GPU]
  it.each([
    [
      'cu128 (2.8) on a GTX 1080 (6.1)',
      false,
      [pip('torch', '2.8.0+cu128')],
      gpu('NVIDIA GeForce GTX 1080', '6.1')
    ],
    [
      'cu126 on an RTX 5090 (12.0)',
      false,
      [pip('torch', '2.7.0+cu126')],
      gpu('NVIDIA GeForce RTX 5090', '12.0')
    ],
    [
      'cu126 on an RTX 4090 (8.9, sm_86 SASS runs)',
      true,
      [pip('torch', '2.7.0+cu126')],
      gpu('NVIDIA GeForce RTX 4090', '8.9')
    ],
    [
      'cu130 on a V100 (7.0)',
      false,
      [pip('torch', '2.9.0+cu130')],
      gpu('Tesla V100-SXM2-16GB', '7.0')
    ],
    [
      'cu130 on a B200 (10.0)',
      true,
      [pip('torch', '2.9.0+cu130')],
      gpu('NVIDIA B200', '10.0')
    ],
    [
      'conda-forge CUDA 12.6 on a K80 (3.7)',
      false,
      CF_CUDA12,
      gpu('Tesla K80', '3.7')
    ],
    [
      'conda-forge CUDA 12.6 on a B200 (10.0)',
      false,
      CF_CUDA12,
      gpu('NVIDIA B200', '10.0')
    ],
    [
      'jax-cuda12-plugin on a GTX 750 (5.0)',
      false,
      [
        pip('jax', '0.4.30'),
        pip('jaxlib', '0.4.30'),
        pip('jax-cuda12-plugin', '0.4.30')
      ],
      gpu('NVIDIA GeForce GTX 750 Ti', '5.0')
    ],
    ['glm_finetune (CUDA 11.8) on an A100', true, GLM_FINETUNE, A100],
    [
      'unknown compute capability',
      true,
      [pip('torch', '2.8.0+cu128')],
      gpu('NVIDIA GeForce GTX 1080', null)
    ]
  ] as const)('%s (covered: %s)', (_name, covered, records, device) => {
    const result = analyzeEnvironment(
      [PY312, ...records],
      machine('580.65.06', '13.0', [device])
    );
    expect(codes(result.verdicts).includes('gpu-arch-not-covered')).toBe(
      !covered
    );
  });

  it('says which builds cover the GPU', () => {
    const v = only(
      analyzeEnvironment(
        [PY312, pip('torch', '2.8.0+cu128')],
        machine('580.65.06', '13.0', [gpu('NVIDIA GeForce GTX 1080', '6.1')])
      ).verdicts,
      'gpu-arch-not-covered'
    );
    expect(v.message).toContain('compute capability 6.1');
    expect(v.fix).toContain('whl/cu126');
    expect(v.verified).toBe(false);
  });
});

describe('CONDA_OVERRIDE_CUDA', () => {
  it('warns when it claims more than the real driver', () => {
    const v = only(
      analyzeEnvironment(
        GLM_FINETUNE,
        machine('525.60.13', '12.0', [A100], { conda_override_cuda: '12.8' })
      ).verdicts,
      'cuda-override-active'
    );
    expect(v.message).toContain('CONDA_OVERRIDE_CUDA=12.8');
    expect(v.message).toContain('supports less than CUDA 12.8');
    expect(v.fix).toContain('`unset CONDA_OVERRIDE_CUDA`');
  });

  it('says what an empty override does', () => {
    const v = only(
      analyzeEnvironment(CF_CUDA12, noGpu({ conda_override_cuda: '' }))
        .verdicts,
      'cuda-override-active'
    );
    expect(v.message).toContain('set but empty');
  });

  it('warns on a machine without a GPU too', () => {
    const v = only(
      analyzeEnvironment(CPU_ONLY, noGpu({ conda_override_cuda: '12.4' }))
        .verdicts,
      'cuda-override-active'
    );
    expect(v.message).toContain('no NVIDIA GPU was found');
  });
});

describe('verdict shape', () => {
  it('every verdict carries code, rule, sources and a rendered message', () => {
    const result = analyzeEnvironment(
      [
        ...PIP_SHADOW,
        pip('torch', '2.1.0+cu121'),
        pip('nvidia-cublas-cu11', '11.10.3.66')
      ],
      machine('520.61.05', '11.8', [A100], { conda_override_cuda: '12.1' })
    );
    expect(codes(result.verdicts)).toEqual([
      'driver-too-old',
      'mixed-cuda-majors',
      'pip-shadows-conda',
      'cuda-override-active'
    ]);
    for (const v of result.verdicts) {
      expect(v.title).toBe(VERDICT_CODES[v.code].title);
      expect(v.rule).toBe(VERDICT_CODES[v.code].rule);
      expect(v.sources.length).toBeGreaterThan(0);
      expect(v.message).not.toMatch(/\{\w+\}/);
      for (const [key, value] of Object.entries(v.params)) {
        expect(v.template).toContain(`{${key}}`);
        expect(v.message).toContain(value);
      }
    }
  });
});

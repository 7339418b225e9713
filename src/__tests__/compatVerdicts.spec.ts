import type { PackageRecord } from '../environments/api';
import { analyzeEnvironment } from '../compat/analyze';
import { VERDICT_CODES } from '../compat/codes';
import type { VerdictCode } from '../compat/codes';
import type { GpuDevice, GpuFacts, SystemFacts } from '../compat/facts';
import type { IVerdict } from '../compat/verdict';
import { conda, pip } from './compatRecords';

/*
 * The verdicts of the compatibility engine: the fixture environments of this
 * repository (fixture_root/catalogue.py, frameworks.py) and real-world
 * encodings against drivers, following cuda-compat.md B2: ok if the driver's
 * CUDA ≥ the package's; minor-version compatibility if same major and the
 * driver ≥ the major's floor; a failure otherwise.
 */

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
    // cpuonly pins the CPU pytorch-mutex: it must go first, and the build glob makes conda swap the build.
    expect(v.fix).toContain(
      '`conda remove cpuonly && conda install "pytorch=2.1.0=*cuda*" pytorch-cuda=12.1 -c pytorch -c nvidia`'
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
      'Update the NVIDIA driver to ≥ 530.30.02 to run CUDA 12.1 in full (≥ 525.60.13 runs it through minor-version compatibility), or install a build for CUDA ≤ 11.8: `pip install torch==2.4.0+cu118 torchvision==0.19.0+cu118 --index-url https://download.pytorch.org/whl/cu118`.'
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
    // What the reference backs is each major's own libraries and floor; that the mix breaks is inferred.
    expect(v.severity).toBe('warning');
    expect(result.status).toBe('warning');
    expect(v.verified).toBe(false);
    expect(v.sources).toContain('N2');
    expect(v.message).toContain('CUDA 11 (nvidia-cublas-cu11)');
    expect(v.message).toContain('libcudart.so.11');
    expect(v.message).not.toContain('whichever loads first');
    expect(v.rule).toContain('libcudart.so.12');
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
    expect(v.fix).toContain(
      'conda also removes every package that depends on it'
    );
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
      analyzeEnvironment(CF_CUDA12, noGpu({ conda_override_cuda: '12.4' }))
        .verdicts,
      'cuda-override-active'
    );
    expect(v.message).toContain('no NVIDIA GPU was found');
  });

  it('says nothing about environments without a CUDA build (the header shows the override)', () => {
    for (const records of [
      CPU_ONLY,
      PIP_SHADOW,
      [PY311, conda('requests', '2.31.0', 'py311h06a4308_0')]
    ]) {
      const result = analyzeEnvironment(
        records,
        machine('525.60.13', '12.0', [A100], { conda_override_cuda: '12.8' })
      );
      expect(codes(result.verdicts)).not.toContain('cuda-override-active');
    }
  });

  it('still warns for a CUDA pin without a framework', () => {
    const result = analyzeEnvironment(
      [PY311, conda('cudatoolkit', '11.8.0', 'h6a678d5_0', { channel: MAIN })],
      noGpu({ conda_override_cuda: '11.8' })
    );
    only(result.verdicts, 'cuda-override-active');
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

describe('fix commands pin what they install', () => {
  it('pins the local version of torch and each companion (pip would keep +cu121 for ==2.4.0)', () => {
    const v = only(
      analyzeEnvironment(
        [
          PY310,
          pip('torch', '2.4.0+cu121'),
          pip('torchvision', '0.19.0+cu121'),
          pip('torchaudio', '2.4.0+cu121')
        ],
        machine('520.61.05', '11.8')
      ).verdicts,
      'driver-too-old'
    );
    expect(v.fix).toContain(
      '`pip install torch==2.4.0+cu118 torchvision==0.19.0+cu118 torchaudio==2.4.0+cu118 --index-url https://download.pytorch.org/whl/cu118`'
    );
  });

  it('pins +cpu for the CPU-only wheel', () => {
    const v = only(
      analyzeEnvironment([PY310, pip('torch', '2.1.0+cu118')], noGpu())
        .verdicts,
      'cuda-build-without-gpu'
    );
    expect(v.fix).toContain(
      '`pip install torch==2.1.0+cpu --index-url https://download.pytorch.org/whl/cpu`'
    );
  });

  it('without cpuonly, still pins the CUDA build of the pytorch channel', () => {
    const records = CPU_ONLY.filter(r => r.name !== 'cpuonly');
    const v = only(
      analyzeEnvironment(records, machine('535.104.05', '12.2')).verdicts,
      'cpu-build-on-gpu-machine'
    );
    expect(v.fix).toContain(
      '`conda install "pytorch=2.1.0=*cuda*" pytorch-cuda=12.1 -c pytorch -c nvidia`'
    );
    expect(v.fix).not.toContain('conda remove');
  });
});

describe('fix commands name the environment', () => {
  const PREFIX = "/opt/conda/envs/it's $(touch x)";
  const QUOTED = "'/opt/conda/envs/it'\\''s $(touch x)'";
  const QUOTED_PYTHON = "'/opt/conda/envs/it'\\''s $(touch x)/bin/python'";

  it('writes conda -p and the env python with the prefix single-quoted', () => {
    const cpu = only(
      analyzeEnvironment(CPU_ONLY, machine('535.104.05', '12.2'), {
        prefix: PREFIX
      }).verdicts,
      'cpu-build-on-gpu-machine'
    );
    expect(cpu.fix).toContain(
      `\`conda remove -p ${QUOTED} cpuonly && conda install -p ${QUOTED} "pytorch=2.1.0=*cuda*" pytorch-cuda=12.1 -c pytorch -c nvidia\``
    );
    const wheel = only(
      analyzeEnvironment(
        [PY310, pip('torch', '2.4.0+cu121')],
        machine('520.61.05', '11.8'),
        { prefix: PREFIX }
      ).verdicts,
      'driver-too-old'
    );
    expect(wheel.fix).toContain(
      `\`${QUOTED_PYTHON} -m pip install torch==2.4.0+cu118 --index-url https://download.pytorch.org/whl/cu118\``
    );
  });

  it('names the environment in the shadowing, mixed-major and probe fixes', () => {
    const prefix = '/opt/conda/envs/shadow';
    const shadow = only(
      analyzeEnvironment(PIP_SHADOW, noGpu(), { prefix }).verdicts,
      'pip-shadows-conda'
    );
    expect(shadow.fix).toContain(
      "`'/opt/conda/envs/shadow/bin/python' -m pip uninstall numpy`"
    );
    expect(shadow.fix).toContain(
      "`conda install -p '/opt/conda/envs/shadow' --force-reinstall numpy=1.24.3`"
    );
    const mixed = only(
      analyzeEnvironment(
        [
          PY310,
          pip('cupy-cuda12x', '13.3.0'),
          conda('cudatoolkit', '11.3.1', 'h2bc3f7f_2', { channel: MAIN })
        ],
        machine('550.54.15', '12.4'),
        { prefix }
      ).verdicts,
      'mixed-cuda-majors'
    );
    expect(mixed.fix).toContain(
      "`conda remove -p '/opt/conda/envs/shadow' cudatoolkit`"
    );
    const unknown = only(
      analyzeEnvironment(
        [PY310, pip('torch', '2.6.0a0+ecf3bae40a.nv25.01')],
        machine('550.54.15', '12.4'),
        { prefix }
      ).verdicts,
      'build-unknown'
    );
    expect(unknown.fix).toContain(
      "`'/opt/conda/envs/shadow/bin/python' -c \"import torch;"
    );
  });

  it('quotes a Windows prefix for cmd and uses its python.exe', () => {
    const facts = machine('551.61', '12.4', [A100], {
      platform: { system: 'Windows', machine: 'AMD64', conda_subdir: 'win-64' }
    });
    const v = only(
      analyzeEnvironment([PY310, pip('torch', '2.5.1+cu124')], noGpu(), {
        prefix: 'C:\\Users\\me\\envs\\gpu'
      }).verdicts,
      'cuda-build-without-gpu'
    );
    expect(v.fix).toContain(
      '`"C:\\Users\\me\\envs\\gpu\\python.exe" -m pip install torch==2.5.1+cpu'
    );
    const shadow = only(
      analyzeEnvironment(PIP_SHADOW, facts, {
        prefix: 'C:\\Users\\me\\envs\\gpu'
      }).verdicts,
      'pip-shadows-conda'
    );
    expect(shadow.fix).toContain(
      '`conda install -p "C:\\Users\\me\\envs\\gpu" --force-reinstall numpy=1.24.3`'
    );
  });

  it('leaves out a command that would carry an unsafe version or channel', () => {
    const v = only(
      analyzeEnvironment(
        [PY310, pip('torch', '2.4.0$(rm -rf ~)+cu121')],
        machine('520.61.05', '11.8')
      ).verdicts,
      'driver-too-old'
    );
    expect(v.fix).not.toContain('$(');
    expect(v.fix).not.toContain('pip install');
    const shadow = analyzeEnvironment(
      [
        PY311,
        conda('numpy', '1.24.3', 'py311h08b1b3b_0', {
          channel: 'https://example.org/`reboot`',
          conflicts: [{ name: 'numpy', version: '1.26.4', source: 'pypi' }]
        }),
        pip('numpy', '1.26.4', {
          conflicts: [{ name: 'numpy', version: '1.24.3', source: 'conda' }]
        })
      ],
      noGpu()
    ).verdicts;
    expect(only(shadow, 'pip-shadows-conda').fix).toBeNull();
    // A local version with a backtick would split the fix into bogus commands.
    const local = analyzeEnvironment(
      [
        PY311,
        conda('numpy', '1.24.3', 'py311h08b1b3b_0', {
          channel: MAIN,
          conflicts: [{ name: 'numpy', version: '1.26.4+`x`', source: 'pypi' }]
        }),
        pip('numpy', '1.26.4+`x`', {
          conflicts: [{ name: 'numpy', version: '1.24.3', source: 'conda' }]
        })
      ],
      noGpu()
    ).verdicts;
    expect(only(local, 'pip-shadows-conda').fix).toBeNull();
    const transformers = only(
      analyzeEnvironment(
        [PY310, pip('torch', '1.13.1+`x`'), pip('transformers', '4.48.0')],
        noGpu()
      ).verdicts,
      'transformers-needs-newer-torch'
    );
    expect(transformers.fix).toContain('supports the installed PyTorch');
    expect(transformers.fix).not.toContain('`x`');
  });

  it('suggests a new environment instead of changing Python in place', () => {
    const v = only(
      analyzeEnvironment(
        [PY312, pip('torch', '2.1.0+cu121'), pip('requests', '2.31.0')],
        noGpu(),
        { prefix: '/envs/old' }
      ).verdicts,
      'python-unsupported'
    );
    expect(v.fix).not.toContain('conda install python=');
    expect(v.fix).toContain('create a new environment with python=3.11');
    expect(v.fix).toContain('lib/python3.12');
    expect(v.fix).toContain(
      '`\'/envs/old/bin/python\' -m pip install "torch>=2.4"`'
    );
  });

  it('ignores a prefix that cannot appear in a fix', () => {
    const v = only(
      analyzeEnvironment(PIP_SHADOW, noGpu(), { prefix: '/envs/`x`' }).verdicts,
      'pip-shadows-conda'
    );
    expect(v.fix).toContain('`pip uninstall numpy`');
  });
});

describe('cuda-compat (forward compatibility)', () => {
  const compat = conda('cuda-compat', '580.65.06', 'h0', {});
  const impl = conda('cuda-compat-impl', '580.65.06', 'h0', {});

  it.each([
    ['cuda-compat', compat],
    ['cuda-compat-impl', impl]
  ])(
    'with %s, a too-old driver is a warning about forward compatibility',
    (_name, record) => {
      const result = analyzeEnvironment(
        [...CF_CUDA12, record],
        machine('520.61.05', '11.8')
      );
      const v = only(result.verdicts, 'driver-too-old');
      expect(v.severity).toBe('warning');
      expect(result.status).toBe('warning');
      expect(v.message).toContain('forward compatibility');
      expect(v.message).toContain('data-center GPUs');
      expect(v.message).toContain('only on Linux');
      expect(v.message).toContain('CUDA_ERROR_SYSTEM_DRIVER_MISMATCH');
      expect(v.sources).toEqual(expect.arrayContaining(['N2', 'F6']));
      expect(v.packages).toContain(record.name);
    }
  );

  it('stays an error on Windows, and when the compat libraries are older than the build', () => {
    const windows = machine('520.06', '11.8', [A100], {
      platform: { system: 'Windows', machine: 'AMD64', conda_subdir: 'win-64' }
    });
    expect(
      only(
        analyzeEnvironment([...CF_CUDA12, compat], windows).verdicts,
        'driver-too-old'
      ).severity
    ).toBe('error');
    const old = conda('cuda-compat', '530.30.02', 'h0');
    expect(
      only(
        analyzeEnvironment([...CF_CUDA12, old], machine('520.61.05', '11.8'))
          .verdicts,
        'driver-too-old'
      ).severity
    ).toBe('error');
  });

  it('is an error without cuda-compat', () => {
    expect(
      only(
        analyzeEnvironment(CF_CUDA12, machine('520.61.05', '11.8')).verdicts,
        'driver-too-old'
      ).severity
    ).toBe('error');
  });
});

describe('PTX under minor-version compatibility', () => {
  // A GPU newer than every SASS architecture of the cu129 build (up to 12.0), covered by its PTX only.
  const future = gpu('NVIDIA Future GPU', '13.0');

  it('is an error: the older driver cannot JIT-compile newer PTX', () => {
    const result = analyzeEnvironment(
      [PY312, pip('torch', '2.8.0+cu129')],
      machine('570.124.06', '12.8', [future])
    );
    expect(codes(result.verdicts)).toContain('minor-version-compat');
    const v = only(result.verdicts, 'gpu-arch-not-covered');
    expect(v.severity).toBe('error');
    expect(result.status).toBe('error');
    expect(v.message).toContain('PTX');
    expect(v.message).toContain('cudaErrorUnsupportedPtxVersion');
    expect(v.sources).toEqual(expect.arrayContaining(['N2', 'T1', 'T4']));
    expect(v.fix).toContain('≥ 575.51.03');
  });

  it('is fine when the driver supports the build in full', () => {
    const result = analyzeEnvironment(
      [PY312, pip('torch', '2.8.0+cu129')],
      machine('575.57.08', '12.9', [future])
    );
    expect(codes(result.verdicts)).not.toContain('gpu-arch-not-covered');
  });
});

describe('Windows drivers', () => {
  const windows = (driver: string, cuda: string | null): SystemFacts =>
    machine(driver, cuda, [A100], {
      platform: { system: 'Windows', machine: 'AMD64', conda_subdir: 'win-64' }
    });

  it('uses the Windows 12.x floor, unverified', () => {
    const v = only(
      analyzeEnvironment(
        [PY310, pip('torch', '2.4.0+cu121')],
        windows('526.47', '12.0')
      ).verdicts,
      'driver-too-old'
    );
    expect(v.message).toContain('need a driver ≥ 527.41 on Windows');
    expect(v.verified).toBe(false);
    // On Linux the same numbers would pass the 525.60.13 floor.
    expect(
      codes(
        analyzeEnvironment(
          [PY310, pip('torch', '2.4.0+cu121')],
          machine('526.47', '12.0')
        ).verdicts
      )
    ).toEqual(['minor-version-compat']);
  });

  it('runs through minor-version compatibility from 527.41, with the Windows GA driver to update to', () => {
    const v = only(
      analyzeEnvironment(
        [PY310, pip('torch', '2.4.0+cu121')],
        windows('527.41', '12.0')
      ).verdicts,
      'minor-version-compat'
    );
    expect(v.message).toContain('driver ≥ 527.41');
    expect(v.fix).toContain('≥ 531.14');
  });

  it('infers the CUDA of a Windows driver from the Windows column', () => {
    const result = analyzeEnvironment(
      [PY310, pip('torch', '2.0.1+cu118')],
      windows('520.06', null)
    );
    expect(codes(result.verdicts)).toEqual(['cuda-build-ok']);
    expect(result.verdicts[0].message).toContain('CUDA 11.8');
  });

  it('knows no Windows driver for CUDA 13', () => {
    const v = only(
      analyzeEnvironment(
        [PY312, pip('torch', '2.9.0+cu130')],
        windows('576.02', '12.9')
      ).verdicts,
      'driver-too-old'
    );
    expect(v.message).toContain('no Windows driver is listed for CUDA 13.x');
  });
});

describe('Python of conda builds', () => {
  const PY313 = conda('python', '3.13.1', 'h9ebbce0_100_cp313');

  it('judges a conda-forge build by its own python dependency, not T1', () => {
    // T1 lists 3.13 as experimental for 2.5; conda-forge built it for 3.13.
    const result = analyzeEnvironment(
      [
        PY313,
        conda('pytorch', '2.5.1', 'cuda126_mkl_py313_h30b5a27_306', {
          depends: ['__cuda', 'python >=3.13,<3.14.0a0']
        })
      ],
      noGpu()
    );
    expect(codes(result.verdicts)).not.toContain('python-experimental');
    expect(codes(result.verdicts)).not.toContain('python-unsupported');
  });

  it('flags a conda build made for another Python, saying how it knows', () => {
    const result = analyzeEnvironment(
      [PY313, ...CF_CUDA12.filter(r => r.name !== 'python')],
      noGpu(),
      { prefix: '/envs/cf' }
    );
    const v = only(result.verdicts, 'python-unsupported');
    expect(v.message).toBe(
      'PyTorch 2.5.1 was built for Python 3.12 (its record depends on python >=3.12,<3.13.0a0); this environment has Python 3.13.1.'
    );
    expect(v.sources).toEqual(['C3']);
    expect(v.fix).toContain(
      "`conda install -p '/envs/cf' -c conda-forge pytorch=2.5.1 python=3.13`"
    );
  });

  it('reads the Python from the build string when the depends are not there', () => {
    const result = analyzeEnvironment(
      [
        PY312,
        conda('tensorflow', '2.15.0', 'cuda120py311h1234567_0'),
        conda('jax', '0.4.23', 'pyhd8ed1ab_0', { subdir: 'noarch' }),
        conda('jaxlib', '0.4.23', 'cuda120py312h3ab4a32_201')
      ],
      noGpu()
    );
    const v = only(result.verdicts, 'python-unsupported');
    expect(v.packages).toContain('tensorflow');
    expect(v.message).toContain('names Python 3.11');
  });

  it('accepts a conda-forge TensorFlow built for a Python TF1 does not list', () => {
    const result = analyzeEnvironment(
      [
        PY312,
        conda('tensorflow-base', '2.15.0', 'cuda120py312h1234567_0', {
          depends: ['python >=3.12,<3.13.0a0']
        })
      ],
      noGpu()
    );
    expect(codes(result.verdicts)).not.toContain('python-unsupported');
  });

  it('keeps T1 for the pytorch channel', () => {
    const result = analyzeEnvironment(
      [
        PY312,
        conda('pytorch', '2.1.0', 'py3.12_cpu_0', {
          channel: 'pytorch',
          depends: ['python >=3.12,<3.13.0a0']
        })
      ],
      noGpu()
    );
    only(result.verdicts, 'python-unsupported');
  });
});

describe('pip TensorFlow without its CUDA wheels', () => {
  it('warns that TensorFlow will not see the GPU, and adds and-cuda at the same version', () => {
    const result = analyzeEnvironment(
      [PY310, pip('tensorflow', '2.16.1')],
      machine('525.60.13', '12.0'),
      { prefix: '/envs/tf' }
    );
    const v = only(result.verdicts, 'tensorflow-without-cuda-wheels');
    expect(v.severity).toBe('warning');
    expect(v.message).toContain('will not see');
    expect(v.message).toContain('NVIDIA A100-SXM4-80GB');
    expect(v.fix).toContain(
      '`\'/envs/tf/bin/python\' -m pip install "tensorflow[and-cuda]==2.16.1"`'
    );
  });

  it('does not offer TensorFlow 2.14 on a 525 driver: TF2 says ≥ 525.60.13 runs its CUDA 12 releases', () => {
    const result = analyzeEnvironment(
      [
        PY310,
        pip('tensorflow', '2.16.1'),
        pip('nvidia-cuda-runtime-cu12', '12.3.101'),
        pip('nvidia-cudnn-cu12', '8.9.7.29')
      ],
      machine('525.60.13', '12.0')
    );
    const v = only(result.verdicts, 'minor-version-compat');
    expect(v.fix).not.toContain('2.14');
    expect(codes(result.verdicts)).not.toContain(
      'tensorflow-without-cuda-wheels'
    );
  });

  it.each([
    [
      'before and-cuda existed',
      [PY310, pip('tensorflow', '2.14.1')],
      'linux-64'
    ],
    ['on a machine without a GPU', [PY310, pip('tensorflow', '2.16.1')], null],
    ['tensorflow-cpu', [PY310, pip('tensorflow-cpu', '2.16.1')], 'linux-64'],
    ['on macOS', [PY310, pip('tensorflow', '2.16.1')], 'osx-arm64']
  ] as const)('says nothing %s', (_name, records, subdir) => {
    const facts =
      subdir === null
        ? noGpu()
        : machine('550.54.15', '12.4', [A100], {
            platform: {
              system: 'Linux',
              machine: 'x86_64',
              conda_subdir: subdir
            }
          });
    expect(
      codes(analyzeEnvironment([...records], facts).verdicts)
    ).not.toContain('tensorflow-without-cuda-wheels');
  });
});

describe('a driver known without a GPU', () => {
  const driverOnly = (): SystemFacts => {
    const facts = noGpu();
    facts.gpu = {
      ...facts.gpu,
      reason: 'the driver answered but listed no GPU',
      driver_version: '550.54.15',
      detected_by: 'sysfs'
    };
    return facts;
  };

  it('still says the CUDA build has no GPU to run on', () => {
    const result = analyzeEnvironment(CF_CUDA12, driverOnly());
    expect(codes(result.verdicts)).toEqual(['cuda-build-without-gpu']);
  });

  it('compares CONDA_OVERRIDE_CUDA with no GPU, not with the inferred CUDA', () => {
    const facts = driverOnly();
    facts.conda_override_cuda = '12.8';
    const v = only(
      analyzeEnvironment(CF_CUDA12, facts).verdicts,
      'cuda-override-active'
    );
    expect(v.message).toContain('no NVIDIA GPU was found');
  });
});

describe('Transformers boundaries', () => {
  it.each([
    ['4.47.1', '1.13.1', false],
    ['4.48.0', '1.13.1', true],
    ['4.47.1', '1.10.2', true]
  ])(
    'transformers %s with torch %s needs a newer torch: %s',
    (transformers, torch, flagged) => {
      const result = analyzeEnvironment(
        [
          PY310,
          pip('torch', `${torch}+cpu`),
          pip('transformers', transformers)
        ],
        noGpu()
      );
      expect(
        codes(result.verdicts).includes('transformers-needs-newer-torch')
      ).toBe(flagged);
    }
  );

  it('tells torch 1.13 to stay below 4.48', () => {
    const v = only(
      analyzeEnvironment(
        [PY310, pip('torch', '1.13.1+cpu'), pip('transformers', '4.48.0')],
        noGpu()
      ).verdicts,
      'transformers-needs-newer-torch'
    );
    expect(v.message).toContain('needs PyTorch ≥ 2.0');
    expect(v.fix).toContain('`pip install "transformers<4.48"`');
    expect(v.verified).toBe(false);
  });
});

import { parseCuda, parseCudaDigits } from '../compat/cudaVersion';
import {
  MIN_COMPUTE_CAPABILITY,
  NEWEST_ARCH_NEEDS,
  TORCH_ARCH_LISTS
} from '../compat/data/computeCapability';
import { DRIVER_BUNDLES } from '../compat/data/driverBundles';
import { ENCODING_SOURCES } from '../compat/data/encodings';
import {
  NVIDIA_WHEELS,
  ONNXRUNTIME_GPU_DEFAULTS
} from '../compat/data/gpuWheels';
import {
  JAX_CUDA_PLUGINS,
  JAX_PYTHON_FIRST,
  JAX_PYTHON_FLOORS
} from '../compat/data/jaxReleases';
import { MVC_FLOORS } from '../compat/data/mvcFloors';
import { PYPI_TORCH_DEFAULTS } from '../compat/data/pypiTorchDefaults';
import {
  PYTORCH_CUDA_METAPACKAGE,
  PYTORCH_RELEASES
} from '../compat/data/pytorchReleases';
import type { ISourced } from '../compat/data/sourced';
import { combine } from '../compat/data/sourced';
import { SOURCE_KEYS } from '../compat/data/sourceKeys';
import { TENSORFLOW_RELEASES } from '../compat/data/tensorflowReleases';
import { TRANSFORMERS_RELEASES } from '../compat/data/transformersReleases';
import {
  driverCuda,
  gaDriverFor,
  inferCudaFromDriver,
  meetsFloor,
  minimumDriverFor,
  mvcFloor
} from '../compat/driver';
import type { GpuFacts } from '../compat/facts';
import { archCoverage, archCovered } from '../compat/rules/gpuArch';
import { compareVersions, inSeries, majorMinor } from '../compat/version';

/*
 * The data tables (cuda-compat.md, every row with its source) and the
 * small functions over them.
 */

const TABLES: [string, readonly ISourced[]][] = [
  ['B1 driver bundles', DRIVER_BUNDLES],
  ['B2 MVC floors', MVC_FLOORS],
  ['D1 PyTorch', PYTORCH_RELEASES],
  ['D2 TensorFlow', TENSORFLOW_RELEASES],
  ['D3 JAX floors', JAX_PYTHON_FLOORS],
  ['D3 JAX first wheels', JAX_PYTHON_FIRST],
  ['D3 JAX plugins', JAX_CUDA_PLUGINS],
  ['D4 Transformers', TRANSFORMERS_RELEASES],
  ['E min compute capability', MIN_COMPUTE_CAPABILITY],
  ['E torch arch lists', TORCH_ARCH_LISTS],
  ['E newest arch', [NEWEST_ARCH_NEEDS]],
  ['C2 PyPI torch defaults', PYPI_TORCH_DEFAULTS],
  ['C2 onnxruntime-gpu', ONNXRUNTIME_GPU_DEFAULTS],
  ['C2 NVIDIA wheels', [NVIDIA_WHEELS]],
  ['B1 pytorch-cuda', [PYTORCH_CUDA_METAPACKAGE]],
  ['§C encodings', Object.values(ENCODING_SOURCES)]
];

function gpuFacts(driver: string | null, cuda: string | null): GpuFacts {
  return {
    available: true,
    reason: null,
    driver_version: driver,
    cuda_driver_version: cuda,
    gpus: [],
    detected_by: 'nvidia-smi',
    attempts: [],
    simulated: false
  };
}

describe('data tables', () => {
  it.each(TABLES)('%s: every row cites known sources', (_name, rows) => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.sources.length).toBeGreaterThan(0);
      for (const key of row.sources) {
        expect(SOURCE_KEYS).toHaveProperty([key]);
      }
      expect(typeof row.verified).toBe('boolean');
    }
  });

  it('keeps the rows flagged ⚠ in the reference unverified', () => {
    expect(MVC_FLOORS.find(r => r.major === 13)?.verified).toBe(false);
    expect(PYTORCH_RELEASES.filter(r => !r.verified).map(r => r.first)).toEqual(
      ['2.10', '2.11', '2.12', '2.13']
    );
    expect(TRANSFORMERS_RELEASES.every(r => !r.verified)).toBe(true);
    expect(
      PYPI_TORCH_DEFAULTS.filter(r => !r.verified).map(r => r.first)
    ).toEqual(['2.2', '2.5', '2.8']);
    expect(MIN_COMPUTE_CAPABILITY.find(r => r.cudaMajor === 11)?.verified).toBe(
      false
    );
    // B2: the Windows 12.x floor (527.41 vs 528.33) is open.
    expect(MVC_FLOORS.find(r => r.major === 12)?.windows).toMatchObject({
      minDriver: '527.41',
      verified: false
    });
    expect(MVC_FLOORS.find(r => r.major === 11)?.windows).toMatchObject({
      minDriver: '452.39',
      verified: true
    });
    // C1: conda-forge's `cuda{XY}_py…` form (~2.1–2.4) is flagged ⚠.
    expect(ENCODING_SOURCES['conda-build-cuda-py'].verified).toBe(false);
    expect(ENCODING_SOURCES['conda-build'].verified).toBe(true);
  });

  it('cites known sources for the Windows floors', () => {
    for (const row of MVC_FLOORS) {
      for (const key of row.windows?.sources ?? []) {
        expect(SOURCE_KEYS).toHaveProperty([key]);
      }
    }
  });

  it('orders the Windows GA drivers of B1, and has none from 13.0 on', () => {
    const windows = DRIVER_BUNDLES.filter(r => r.gaDriverWindows !== null);
    for (let i = 1; i < windows.length; i++) {
      expect(
        compareVersions(
          windows[i - 1].gaDriverWindows ?? '',
          windows[i].gaDriverWindows ?? ''
        )
      ).toBeLessThan(0);
    }
    expect(
      DRIVER_BUNDLES.filter(r => r.gaDriverWindows === null).map(r => r.cuda)
    ).toEqual(['13.0', '13.1', '13.2']);
  });

  it('orders B1 by CUDA and by driver, with no CUDA 12.7', () => {
    for (let i = 1; i < DRIVER_BUNDLES.length; i++) {
      const [a, b] = [DRIVER_BUNDLES[i - 1], DRIVER_BUNDLES[i]];
      expect(compareVersions(a.cuda, b.cuda)).toBeLessThan(0);
      expect(compareVersions(a.gaDriver, b.gaDriver)).toBeLessThan(0);
    }
    expect(DRIVER_BUNDLES.map(r => r.cuda)).not.toContain('12.7');
  });

  it.each([
    ['release series', PYTORCH_RELEASES],
    ['release series', TENSORFLOW_RELEASES],
    ['release series', TRANSFORMERS_RELEASES],
    ['release series', PYPI_TORCH_DEFAULTS]
  ])('%s do not overlap and ascend', (_name, rows) => {
    for (let i = 1; i < rows.length; i++) {
      expect(compareVersions(rows[i - 1].last, rows[i].first)).toBeLessThan(0);
    }
  });
});

describe('driver facts', () => {
  it.each([
    ['450.80.02', '11.0'],
    ['450.51.05', '11.0'],
    ['450.36.06', '10.2'],
    ['520.61.05', '11.8'],
    ['525.60.13', '12.0'],
    ['525.85.12', '12.0'],
    ['535.104.05', '12.2'],
    ['550.54.15', '12.4'],
    ['570.124.06', '12.8'],
    ['575.57.08', '12.9'],
    ['580.65.06', '13.0'],
    ['590.48.01', '13.1'],
    ['440.33', '10.2'],
    ['418.39', '10.1']
  ])('driver %s supports CUDA %s (B1)', (driver, cuda) => {
    expect(inferCudaFromDriver(driver)?.cuda).toBe(cuda);
  });

  it.each([
    // [driver, platform, CUDA]: Windows drivers are numbered apart (B1 "GA (Win)").
    ['455.30', 'linux', '11.1'],
    ['455.30', 'windows', '11.0'],
    ['520.06', 'linux', '11.7'],
    ['520.06', 'windows', '11.8'],
    ['527.41', 'windows', '12.0'],
    ['576.02', 'windows', '12.9'],
    // No Windows driver is bundled with 13.x: a newer one still infers 12.9.
    ['581.15', 'windows', '12.9'],
    ['581.15', 'linux', '13.0']
  ] as const)('driver %s on %s supports CUDA %s', (driver, platform, cuda) => {
    expect(inferCudaFromDriver(driver, platform)?.cuda).toBe(cuda);
  });

  it.each([
    ['11.8', '452.39', '520.06'],
    ['12.1', '527.41', '531.14'],
    ['10.2', '441.22', '441.22']
  ])(
    'on Windows, CUDA %s runs from driver %s (MVC), fully from %s',
    (cuda, floor, ga) => {
      const version = parseCuda(cuda);
      expect(version && minimumDriverFor(version, 'windows')).toBe(floor);
      expect(version && gaDriverFor(version, 'windows')?.gaDriver).toBe(ga);
    }
  );

  it('knows no Windows driver for CUDA 13', () => {
    const cuda = parseCuda('13.0');
    expect(cuda && minimumDriverFor(cuda, 'windows')).toBeNull();
    expect(cuda && mvcFloor(13, 'windows')?.minDriver).toBeNull();
    expect(mvcFloor(12, 'windows')).toMatchObject({
      minDriver: '527.41',
      verified: false
    });
    expect(mvcFloor(12)).toMatchObject({
      minDriver: '525.60.13',
      verified: true
    });
  });

  it('knows no CUDA for drivers older than every row', () => {
    expect(inferCudaFromDriver('390.157')).toBeUndefined();
  });

  it('prefers what the driver reports over the inference', () => {
    expect(driverCuda(gpuFacts('535.104.05', '12.2'))).toMatchObject({
      text: '12.2',
      inferred: false
    });
    expect(driverCuda(gpuFacts('535.104.05', null))).toMatchObject({
      text: '12.2',
      inferred: true,
      sources: ['N1']
    });
    expect(driverCuda(gpuFacts(null, null))).toBeNull();
  });

  it('infers the CUDA of a driver known without a GPU (only /sys or /proc answered)', () => {
    expect(
      driverCuda({ ...gpuFacts('535.104.05', null), available: false })
    ).toMatchObject({ text: '12.2', inferred: true, driver: '535.104.05' });
    expect(
      driverCuda({ ...gpuFacts(null, null), available: false })
    ).toBeNull();
  });

  it.each([
    ['11.8', '450.80.02', '520.61.05'],
    ['12.1', '525.60.13', '530.30.02'],
    ['13.0', '580.65.06', '580.65.06'],
    ['10.2', '440.33', '440.33']
  ])('CUDA %s runs from driver %s (MVC), fully from %s', (cuda, floor, ga) => {
    const version = parseCuda(cuda);
    expect(version && minimumDriverFor(version)).toBe(floor);
    expect(version && gaDriverFor(version)?.gaDriver).toBe(ga);
  });

  it('bounds an unknown driver version by the GA driver of its CUDA', () => {
    const at = (cuda: string) => driverCuda(gpuFacts(null, cuda));
    const d110 = at('11.0');
    const d114 = at('11.4');
    expect(d110 && meetsFloor(11, d110)).toBe(false);
    expect(d114 && meetsFloor(11, d114)).toBe(true);
  });
});

describe('versions', () => {
  it.each([
    ['3.10', '3.9', 1],
    ['525.60.13', '525.6', 1],
    ['2.1.0+cu118', '2.1.0', 0],
    ['12', '12.0', 0],
    ['2.5.0rc1', '2.5.0', 0],
    ['450.80.02', '450.80.2', 0],
    ['11.8', '12.0', -1]
  ])('compareVersions(%s, %s) has sign %d', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it.each([
    ['2.14.1', '2.13', '2.14', true],
    ['2.12.0', '2.13', '2.14', false],
    ['2.1.2', '2.1', '2.1', true],
    ['4.46.3', '4.31', '4.46', true],
    ['4.47.0', '4.31', '4.46', false]
  ])('%s in %s…%s: %s', (version, first, last, inside) => {
    expect(inSeries(version, first, last)).toBe(inside);
  });

  it.each([
    ['118', { major: 11, minor: 8 }],
    ['126', { major: 12, minor: 6 }],
    ['120', { major: 12, minor: 0 }],
    ['130', { major: 13, minor: 0 }],
    ['102', { major: 10, minor: 2 }],
    ['92', { major: 9, minor: 2 }],
    // conda-forge's `cuda12_py312h…`: CUDA 12 of unknown minor, never 1.2.
    ['12', { major: 12, minor: null }],
    ['11', { major: 11, minor: null }],
    ['13', { major: 13, minor: null }]
  ])('reads the CUDA tag %s', (digits, cuda) => {
    expect(parseCudaDigits(digits)).toEqual(cuda);
  });

  it('reads CUDA tags and major.minor', () => {
    expect(parseCudaDigits('118')).toEqual({ major: 11, minor: 8 });
    expect(parseCudaDigits('92')).toEqual({ major: 9, minor: 2 });
    expect(parseCudaDigits('1180')).toBeNull();
    expect(parseCuda('12')).toEqual({ major: 12, minor: null });
    expect(majorMinor('3.10.13')).toBe('3.10');
    expect(majorMinor('3')).toBeNull();
  });
});

describe('architecture coverage', () => {
  it.each([
    ['8.9', ['8.0', '8.6'], null, true],
    ['8.0', ['8.6'], null, false],
    ['6.1', ['7.5', '8.0'], null, false],
    ['12.1', ['12.0'], null, true],
    ['10.0', ['9.0'], '9.0', true],
    ['9.0', ['8.0'], '12.0', false]
  ])(
    'compute capability %s with SASS %j and PTX %s: %s',
    (cc, sass, ptx, ok) => {
      expect(archCovered(cc, sass, ptx)).toBe(ok);
    }
  );
});

describe('architecture coverage by kind', () => {
  it.each([
    ['8.9', ['8.0', '8.6'], null, 'sass'],
    ['10.0', ['9.0'], '9.0', 'ptx'],
    ['13.0', ['12.0'], '12.0', 'ptx'],
    ['9.0', ['8.0'], '12.0', 'none']
  ])(
    'compute capability %s with SASS %j and PTX %s: %s',
    (cc, sass, ptx, coverage) => {
      expect(archCoverage(cc, sass, ptx)).toBe(coverage);
    }
  );
});

describe('combine', () => {
  it('unions sources and is verified only when every fact is', () => {
    expect(
      combine(
        { sources: ['N1', 'N2'], verified: true },
        { sources: ['N2', 'T1'], verified: false }
      )
    ).toEqual({ sources: ['N1', 'N2', 'T1'], verified: false });
  });
});

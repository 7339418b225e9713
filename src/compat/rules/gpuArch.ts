import type { Severity } from '../codes';
import type { ICudaBuildInfo } from '../cudaBuild';
import { compareCuda, parseCuda } from '../cudaVersion';
import {
  MIN_COMPUTE_CAPABILITY,
  NEWEST_ARCH_NEEDS,
  TORCH_ARCH_LISTS
} from '../data/computeCapability';
import type { ITorchArchList } from '../data/computeCapability';
import { JAX_CUDA_PLUGINS } from '../data/jaxReleases';
import type { ISourced } from '../data/sourced';
import { combine } from '../data/sourced';
import type { IDriverCuda } from '../driver';
import type { GpuDevice } from '../facts';
import { driverUpdateStep } from '../fixes/driverStep';
import { compareVersions, versionParts } from '../version';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';
import { frameworkOf } from './context';
import { describeDriver } from './machineText';

/*
 * Whether a build has code for the machine's GPUs (E), checked only where
 * both are known: the GPU's compute capability and either the build's
 * architecture list (official PyTorch builds) or its CUDA major's minimum.
 */

// Encodings of PyTorch's own builds, whose architecture lists T1/T4 give; conda-forge chooses its own.
const OFFICIAL_TORCH = new Set([
  'pytorch-channel-build',
  'pip-local-version',
  'pypi-default',
  'nvidia-wheels'
]);

/**
 * How a build covers a GPU: machine code (SASS) for X.y runs on X.z with
 * z ≥ y; PTX for a capability runs, JIT-compiled by the driver, on any
 * later one.
 */
export function archCoverage(
  cc: string,
  sass: readonly string[],
  ptx: string | null
): 'sass' | 'ptx' | 'none' {
  const [major, minor] = versionParts(cc);
  const bySass = sass.some(arch => {
    const [m, n] = versionParts(arch);
    return m === major && n <= minor;
  });
  if (bySass) {
    return 'sass';
  }
  return ptx !== null && compareVersions(ptx, cc) <= 0 ? 'ptx' : 'none';
}

/**
 * Whether a build has code for a GPU of compute capability `cc` at all.
 */
export function archCovered(
  cc: string,
  sass: readonly string[],
  ptx: string | null
): boolean {
  return archCoverage(cc, sass, ptx) !== 'none';
}

interface IGap {
  why: string;
  fix: string;
  sourced: ISourced;
  /** Where the gap is worse than the code's usual warning. */
  severity?: Severity;
}

function torchList(build: ICudaBuildInfo): ITorchArchList | undefined {
  if (
    build.framework !== 'pytorch' ||
    !build.encoding ||
    !OFFICIAL_TORCH.has(build.encoding)
  ) {
    return undefined;
  }
  return TORCH_ARCH_LISTS.find(
    row =>
      row.cuda === build.cuda &&
      (row.firstTorch === null ||
        compareVersions(build.version, row.firstTorch) >= 0)
  );
}

/**
 * The driver runs the build only through minor-version compatibility (or
 * not at all): older than the build's CUDA, so it cannot JIT-compile the
 * build's PTX (B2, `cudaErrorUnsupportedPtxVersion`).
 */
function driverOlderThan(
  context: IRuleContext,
  build: ICudaBuildInfo
): IDriverCuda | null {
  const drv = context.driver;
  const pkg = build.cuda ? parseCuda(build.cuda) : null;
  return drv && pkg && pkg.minor !== null && compareCuda(drv.cuda, pkg) < 0
    ? drv
    : null;
}

function torchGap(
  context: IRuleContext,
  build: ICudaBuildInfo,
  list: ITorchArchList,
  cc: string
): IGap | null {
  const coverage = archCoverage(cc, list.sass, list.ptx);
  if (coverage === 'sass') {
    return null;
  }
  const older = driverOlderThan(context, build);
  if (coverage === 'ptx') {
    const pkg = parseCuda(list.cuda);
    if (!older || !pkg) {
      return null;
    }
    return {
      why: `it has machine code (SASS) only for ${list.sass.join(', ')}, so this GPU needs its PTX (${list.ptx}) JIT-compiled, which ${describeDriver(context.facts.gpu, older)} cannot do for PTX from a newer CUDA (cudaErrorUnsupportedPtxVersion)`,
      fix: `${driverUpdateStep(pkg, context.platform)}.`,
      sourced: combine(list, { sources: ['N2'], verified: true }),
      severity: 'error'
    };
  }
  const covering = TORCH_ARCH_LISTS.filter(row =>
    archCovered(cc, row.sass, row.ptx)
  ).map(row => row.cuda);
  const where =
    covering.length > 0
      ? `PyTorch builds for CUDA ${covering.join(', ')} include it (pip: \`--index-url https://download.pytorch.org/whl/cu${covering[0].replace('.', '')}\`)`
      : 'no PyTorch build listed here includes it';
  return {
    why: `its architecture list is ${list.sass.join(', ')}${list.ptx ? ` with PTX for ${list.ptx}` : ' without PTX'}`,
    fix: `Install a build that targets compute capability ${cc}: ${where}.`,
    sourced: list
  };
}

function majorGap(build: ICudaBuildInfo, cc: string): IGap | null {
  const cuda = build.cuda ? parseCuda(build.cuda) : null;
  if (!cuda) {
    return null;
  }
  const floor = MIN_COMPUTE_CAPABILITY.find(
    row => row.cudaMajor === cuda.major
  );
  if (floor && compareVersions(cc, floor.minComputeCapability) < 0) {
    return {
      why: `CUDA ${cuda.major}.x dropped ${floor.dropped} and targets compute capability ≥ ${floor.minComputeCapability}`,
      fix: `Use a build for CUDA ${cuda.major - 1}.x, which still targets compute capability ${cc}.`,
      sourced: floor
    };
  }
  const plugin =
    build.encoding === 'jax-plugin'
      ? JAX_CUDA_PLUGINS.find(p => p.cudaMajor === cuda.major)
      : undefined;
  if (plugin && compareVersions(cc, plugin.minComputeCapability) < 0) {
    return {
      why: `JAX's CUDA ${cuda.major} plugin needs compute capability ≥ ${plugin.minComputeCapability}`,
      fix: `Use JAX's CUDA ${cuda.major - 1} plugin if there is one for this release, or run JAX on the CPU.`,
      sourced: plugin
    };
  }
  const newest = parseCuda(NEWEST_ARCH_NEEDS.minCuda);
  if (
    newest &&
    cuda.minor !== null &&
    compareVersions(cc, NEWEST_ARCH_NEEDS.minComputeCapability) >= 0 &&
    compareCuda(cuda, newest) < 0
  ) {
    return {
      why: `${NEWEST_ARCH_NEEDS.name} GPUs need builds for CUDA ≥ ${NEWEST_ARCH_NEEDS.minCuda}`,
      fix: `Install a build for CUDA ≥ ${NEWEST_ARCH_NEEDS.minCuda} (and a driver that supports it).`,
      sourced: NEWEST_ARCH_NEEDS
    };
  }
  return null;
}

function distinctCapabilities(
  gpus: readonly GpuDevice[]
): { cc: string; names: string[] }[] {
  const seen = new Map<string, string[]>();
  for (const gpu of gpus) {
    if (gpu.compute_capability) {
      const names = seen.get(gpu.compute_capability) ?? [];
      if (!names.includes(gpu.name)) {
        names.push(gpu.name);
      }
      seen.set(gpu.compute_capability, names);
    }
  }
  return [...seen.entries()].map(([cc, names]) => ({ cc, names }));
}

/**
 * One verdict per framework build and GPU compute capability it does not cover.
 */
export function gpuArchVerdicts(context: IRuleContext): IVerdict[] {
  const gpu = context.facts.gpu;
  if (!gpu.available) {
    return [];
  }
  const verdicts: IVerdict[] = [];
  const capabilities = distinctCapabilities(gpu.gpus);
  for (const build of context.builds) {
    const framework = frameworkOf(context, build);
    if (build.kind !== 'cuda' || !build.cuda || !framework) {
      continue;
    }
    const list = torchList(build);
    for (const { cc, names } of capabilities) {
      const gap = list
        ? torchGap(context, build, list, cc)
        : majorGap(build, cc);
      if (!gap) {
        continue;
      }
      verdicts.push(
        verdict('gpu-arch-not-covered', {
          template:
            '{framework} {version} (CUDA {cuda}) has no code for {gpus} (compute capability {cc}): {why}.',
          params: {
            framework: framework.label,
            version: build.version,
            cuda: build.cuda,
            gpus: names.join(', '),
            cc,
            why: gap.why
          },
          packages: build.packages,
          sourced: combine(build, gap.sourced),
          severity: gap.severity,
          fix: gap.fix
        })
      );
    }
  }
  return verdicts;
}

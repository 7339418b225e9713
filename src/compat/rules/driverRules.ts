import type { PackageRecord } from '../packageRecord';
import type { ICudaBuildInfo } from '../cudaBuild';
import type { ICudaVersion } from '../cudaVersion';
import { compareCuda, formatCuda, parseCuda } from '../cudaVersion';
import { combine } from '../data/sourced';
import type { IDriverCuda } from '../driver';
import {
  gaDriverFor,
  inferCudaFromDriver,
  meetsFloor,
  minimumDriverFor,
  mvcFloor
} from '../driver';
import { cpuBuildCommand, cudaBuildCommand } from '../fixes/buildCommands';
import { driverUpdateStep } from '../fixes/driverStep';
import { probeCommand } from '../fixes/probeCommand';
import type { IFramework } from '../frameworks';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';
import { frameworkOf } from './context';
import { describeDriver, describeGpus, describeNoGpu } from './machineText';
import { versionParts } from '../version';

/*
 * Each framework's build against the machine's driver (B2): ok when the
 * driver's CUDA is at least the build's, ok with caveats through
 * minor-version compatibility when the majors match and the driver is at
 * least the major's floor, a failure otherwise.
 */

// The two ways minor-version compatibility falls short (N2).
const MVC_CAVEATS =
  'PTX from the newer toolkit cannot be JIT-compiled by this driver (cudaErrorUnsupportedPtxVersion), so only kernels with machine code (SASS) for this GPU run, and CUDA APIs that need a newer driver fail with cudaErrorCallRequiresNewerDriver';

function orInstall(
  step: string,
  command: string | null,
  max: IDriverCuda
): string {
  return command
    ? `${step}, or install a build for CUDA ≤ ${max.text}: \`${command}\`.`
    : `${step}.`;
}

function baseParams(
  build: ICudaBuildInfo,
  framework: IFramework
): Record<string, string> {
  return {
    framework: framework.label,
    version: build.version,
    cuda: build.cuda
      ? formatCuda(parseCuda(build.cuda) ?? { major: 0, minor: null })
      : '',
    detail: build.detail
  };
}

/**
 * conda-forge's `cuda-compat` / `cuda-compat-impl` (F6): the user-space
 * driver libraries of a newer driver, for CUDA forward compatibility (B2).
 */
interface ICudaCompat {
  record: PackageRecord;
  /** The newest CUDA its libraries support; null when its version says nothing. */
  cuda: ICudaVersion | null;
}

function cudaCompat(context: IRuleContext): ICudaCompat | null {
  const record = context.records.find(
    r =>
      r.source === 'conda' &&
      (r.normalized_name === 'cuda-compat' ||
        r.normalized_name === 'cuda-compat-impl')
  );
  if (!record) {
    return null;
  }
  // Numbered by the driver it carries (580.65.06…, F6); a CUDA-style X.Y is read as it is.
  const driverNumbered = (versionParts(record.version)[0] ?? 0) >= 100;
  const row = driverNumbered
    ? inferCudaFromDriver(record.version, 'linux')
    : undefined;
  const cuda = driverNumbered
    ? row
      ? parseCuda(row.cuda)
      : null
    : parseCuda(record.version);
  return { record, cuda: cuda && cuda.minor !== null ? cuda : null };
}

/**
 * Whether `compat` may run a build for `pkg`: Linux only (N2), and not
 * when its libraries are themselves older than the build.
 */
function compatMayRun(
  context: IRuleContext,
  compat: ICudaCompat | null,
  pkg: ICudaVersion
): compat is ICudaCompat {
  if (!compat || context.platform !== 'linux') {
    return false;
  }
  if (compat.cuda === null) {
    return true;
  }
  return pkg.minor === null
    ? compat.cuda.major >= pkg.major
    : compareCuda(compat.cuda, pkg) >= 0;
}

const FORWARD_COMPAT =
  "which provides CUDA forward compatibility: with its libraries loaded in place of the driver's, the build may run, but only on data-center GPUs (and select NGC-Server-Ready RTX and Jetson devices) and only on Linux; elsewhere CUDA fails with CUDA_ERROR_SYSTEM_DRIVER_MISMATCH (803) or CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE (804)";

function judgeCuda(
  context: IRuleContext,
  build: ICudaBuildInfo,
  framework: IFramework,
  pkg: ICudaVersion,
  drv: IDriverCuda
): IVerdict {
  const gpu = context.facts.gpu;
  const platform = context.platform;
  const params: Record<string, string> = {
    ...baseParams(build, framework),
    driver: describeDriver(gpu, drv)
  };
  const packages = build.packages;
  const floorRow = mvcFloor(pkg.major, platform);

  const newEnough =
    pkg.minor === null
      ? drv.cuda.major > pkg.major
      : compareCuda(drv.cuda, pkg) >= 0;
  if (newEnough) {
    return verdict('cuda-build-ok', {
      template:
        '{framework} {version} is built for CUDA {cuda} ({detail}); {driver} runs it.',
      params,
      packages,
      sourced: combine(build, drv, { sources: ['N2'], verified: true }),
      fix: null
    });
  }
  const sameMajor = drv.cuda.major === pkg.major;
  const floorMet = sameMajor && meetsFloor(pkg.major, drv, platform);
  if (floorMet && floorRow?.minDriver) {
    params.floor = floorRow.minDriver;
    if (pkg.minor === null) {
      // The build names only its major; any driver past the floor runs a build of that major.
      return verdict('cuda-build-ok', {
        template:
          '{framework} {version} is built for CUDA {cuda} ({detail}); {driver} is at least {floor}, the minimum for any CUDA {major}.x build.',
        params: { ...params, major: String(pkg.major) },
        packages,
        sourced: combine(build, drv, floorRow),
        fix: null
      });
    }
    const ga = gaDriverFor(pkg, platform)?.gaDriver;
    const step = ga
      ? `Update the NVIDIA driver to ≥ ${ga} to run CUDA ${params.cuda} in full`
      : 'Update the NVIDIA driver';
    // TensorFlow's docs ask no more than this floor for its CUDA 12 releases (TF2): no older release to offer.
    const tensorflowPip =
      framework.kind === 'tensorflow' && framework.source === 'pypi';
    const install = tensorflowPip
      ? null
      : cudaBuildCommand(framework, drv.cuda, context);
    return verdict('minor-version-compat', {
      template:
        '{framework} {version} is built for CUDA {cuda} ({detail}), newer than {driver}. It runs only through minor-version compatibility (driver ≥ {floor}), with a limited feature set: {caveats}.',
      params: { ...params, caveats: MVC_CAVEATS },
      packages,
      sourced: combine(build, drv, floorRow, {
        sources: ['N2'],
        verified: true
      }),
      fix: orInstall(step, install, drv)
    });
  }
  // What to install instead: a build for a CUDA the driver runs.
  const install = cudaBuildCommand(
    framework,
    drv.cuda,
    context,
    meetsFloor(drv.cuda.major, drv, platform)
  );
  const needed = minimumDriverFor(pkg, platform);
  const on = platform === 'windows' ? ' on Windows' : '';
  let why: string;
  if (needed === null) {
    why = `no Windows driver is listed for CUDA ${pkg.major}.x`;
  } else if (pkg.major < 11) {
    why = `CUDA ${pkg.major}.x has no minor-version compatibility: it needs a driver ≥ ${needed}${on}`;
  } else if (sameMajor) {
    why = `CUDA ${pkg.major}.x builds need a driver ≥ ${needed}${on} even through minor-version compatibility`;
  } else {
    why = `a CUDA ${pkg.major}.x build needs a driver ≥ ${needed}${on}`;
  }
  const sourced = combine(
    build,
    drv,
    floorRow ?? { sources: ['N1'], verified: true }
  );
  const update = orInstall(driverUpdateStep(pkg, platform), install, drv);
  const compat = cudaCompat(context);
  if (compatMayRun(context, compat, pkg)) {
    const probe = probeCommand(framework.kind, context.commands);
    return verdict('driver-too-old', {
      template:
        '{framework} {version} is built for CUDA {cuda} ({detail}), but {driver} is too old: {why}. This environment has {compat}, {forward}.',
      params: {
        ...params,
        why,
        compat: `${compat.record.name} ${compat.record.version}`,
        forward: FORWARD_COMPAT
      },
      packages: [...packages, compat.record.name],
      sourced: combine(sourced, { sources: ['N2', 'F6'], verified: true }),
      severity: 'warning',
      fix: `Check that it runs, with this environment's Python: \`${probe}\`. If CUDA fails there: ${update}`
    });
  }
  return verdict('driver-too-old', {
    template:
      '{framework} {version} is built for CUDA {cuda} ({detail}), but {driver} is too old: {why}.',
    params: { ...params, why },
    packages,
    sourced,
    fix: update
  });
}

function withoutGpu(
  context: IRuleContext,
  build: ICudaBuildInfo,
  framework: IFramework
): IVerdict {
  const cpu = cpuBuildCommand(framework, context);
  const smaller = cpu ? ` A CPU-only build is smaller: \`${cpu}\`.` : '';
  return verdict('cuda-build-without-gpu', {
    template:
      '{framework} {version} is a CUDA {cuda} build ({detail}), but no NVIDIA GPU was found: {nogpu}. It will run on the CPU only.',
    params: {
      ...baseParams(build, framework),
      cuda: build.cuda ?? 'unknown',
      nogpu: describeNoGpu(context.facts.gpu)
    },
    packages: build.packages,
    sourced: build,
    fix: `If this machine should have an NVIDIA GPU, check that the driver is installed and loaded (\`nvidia-smi\` should list the GPU).${smaller}`
  });
}

function cpuBuild(
  context: IRuleContext,
  build: ICudaBuildInfo,
  framework: IFramework
): IVerdict | null {
  const gpu = context.facts.gpu;
  if (!gpu.available) {
    return verdict('cpu-build-ok', {
      template:
        '{framework} {version} is a CPU-only build ({detail}) and no NVIDIA GPU was found: {nogpu}.',
      params: { ...baseParams(build, framework), nogpu: describeNoGpu(gpu) },
      packages: build.packages,
      sourced: build,
      fix: null
    });
  }
  const drv = context.driver;
  const install = drv
    ? cudaBuildCommand(
        framework,
        drv.cuda,
        context,
        meetsFloor(drv.cuda.major, drv, context.platform)
      )
    : null;
  return verdict('cpu-build-on-gpu-machine', {
    template:
      '{framework} {version} is a CPU-only build ({detail}), but this machine has {gpus}{driver}. It will not use the GPU.',
    params: {
      ...baseParams(build, framework),
      gpus: describeGpus(gpu),
      driver: drv ? ` with ${describeDriver(gpu, drv)}` : ''
    },
    packages: build.packages,
    sourced: build,
    fix: install
      ? `Install a CUDA build for CUDA ≤ ${drv?.text}: \`${install}\``
      : `Install a CUDA build of ${framework.label}${drv ? ` for CUDA ≤ ${drv.text}` : ''}.`
  });
}

function unknownBuild(
  context: IRuleContext,
  build: ICudaBuildInfo,
  framework: IFramework,
  why: string
): IVerdict {
  return verdict('build-unknown', {
    template:
      '{framework} {version}: {why} ({detail}), so it is not checked against the driver.',
    params: { ...baseParams(build, framework), why },
    packages: build.packages,
    sourced: build,
    fix: `Ask the framework, with this environment's Python: \`${probeCommand(framework.kind, context.commands)}\``
  });
}

/**
 * One verdict per framework build about the driver.
 */
export function driverVerdicts(context: IRuleContext): IVerdict[] {
  const verdicts: IVerdict[] = [];
  const gpu = context.facts.gpu;
  for (const build of context.builds) {
    const framework = frameworkOf(context, build);
    if (!framework) {
      continue;
    }
    if (build.kind === 'cpu') {
      const found = cpuBuild(context, build, framework);
      if (found) {
        verdicts.push(found);
      }
    } else if (build.kind === 'rocm') {
      verdicts.push(
        verdict('rocm-build', {
          template:
            '{framework} {version} is a ROCm build for AMD GPUs ({detail}){nvidia}.',
          params: {
            ...baseParams(build, framework),
            nvidia: gpu.available
              ? `; it will not use this machine's ${describeGpus(gpu)}`
              : ''
          },
          packages: build.packages,
          sourced: build,
          fix:
            gpu.available && context.driver
              ? cudaBuildCommand(
                  framework,
                  context.driver.cuda,
                  context,
                  meetsFloor(
                    context.driver.cuda.major,
                    context.driver,
                    context.platform
                  )
                )
              : null
        })
      );
    } else if (build.kind === 'unknown') {
      verdicts.push(
        unknownBuild(
          context,
          build,
          framework,
          'whether this is a CUDA or CPU build is not recorded'
        )
      );
    } else if (!gpu.available) {
      verdicts.push(withoutGpu(context, build, framework));
    } else if (!context.driver) {
      verdicts.push(
        verdict('driver-cuda-unknown', {
          template:
            '{framework} {version} is a CUDA build ({detail}), but the driver reported neither its version nor its CUDA version.',
          params: baseParams(build, framework),
          packages: build.packages,
          sourced: build,
          fix: 'Run `nvidia-smi` to see the driver version and the CUDA version it supports.'
        })
      );
    } else {
      const pkg = build.cuda ? parseCuda(build.cuda) : null;
      verdicts.push(
        pkg
          ? judgeCuda(context, build, framework, pkg, context.driver)
          : unknownBuild(
              context,
              build,
              framework,
              'a CUDA build whose CUDA version is not recorded'
            )
      );
    }
  }
  return verdicts;
}

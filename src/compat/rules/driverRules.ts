import type { ICudaBuildInfo } from '../cudaBuild';
import type { ICudaVersion } from '../cudaVersion';
import { compareCuda, formatCuda, parseCuda } from '../cudaVersion';
import { combine } from '../data/sourced';
import type { IDriverCuda } from '../driver';
import { gaDriverFor, meetsFloor, minimumDriverFor, mvcFloor } from '../driver';
import {
  cpuBuildCommand,
  cudaBuildCommand,
  driverUpdateStep,
  probeCommand
} from '../fixes';
import type { IFramework } from '../frameworks';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';
import { frameworkOf } from './context';
import { describeDriver, describeGpus, describeNoGpu } from './machineText';

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

function judgeCuda(
  context: IRuleContext,
  build: ICudaBuildInfo,
  framework: IFramework,
  pkg: ICudaVersion,
  drv: IDriverCuda
): IVerdict {
  const gpu = context.facts.gpu;
  const params: Record<string, string> = {
    ...baseParams(build, framework),
    driver: describeDriver(gpu, drv)
  };
  const packages = build.packages;
  const floorRow = mvcFloor(pkg.major);

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
  // What to install instead: a build for a CUDA the driver runs in full.
  const install = cudaBuildCommand(
    framework,
    drv.cuda,
    context.records,
    context.python
  );
  const sameMajor = drv.cuda.major === pkg.major;
  if (sameMajor && meetsFloor(pkg.major, drv) && floorRow?.minDriver) {
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
    const ga = gaDriverFor(pkg)?.gaDriver;
    const step = ga
      ? `Update the NVIDIA driver to ≥ ${ga} to run CUDA ${params.cuda} in full`
      : 'Update the NVIDIA driver';
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
  const needed = minimumDriverFor(pkg);
  const why =
    pkg.major >= 11
      ? sameMajor
        ? `CUDA ${pkg.major}.x builds need a driver ≥ ${needed} even through minor-version compatibility`
        : `a CUDA ${pkg.major}.x build needs a driver ≥ ${needed}`
      : `CUDA ${pkg.major}.x has no minor-version compatibility: it needs a driver ≥ ${needed}`;
  return verdict('driver-too-old', {
    template:
      '{framework} {version} is built for CUDA {cuda} ({detail}), but {driver} is too old: {why}.',
    params: { ...params, why },
    packages,
    sourced: combine(
      build,
      drv,
      floorRow ?? { sources: ['N1'], verified: true }
    ),
    fix: orInstall(driverUpdateStep(pkg), install, drv)
  });
}

function withoutGpu(
  context: IRuleContext,
  build: ICudaBuildInfo,
  framework: IFramework
): IVerdict {
  const cpu = cpuBuildCommand(framework, context.records);
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
    ? cudaBuildCommand(framework, drv.cuda, context.records, context.python)
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
    fix: `Ask the framework in the activated environment: \`${probeCommand(framework.kind)}\``
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
          fix: context.driver
            ? cudaBuildCommand(
                framework,
                context.driver.cuda,
                context.records,
                context.python
              )
            : null
        })
      );
    } else if (build.kind === 'unknown') {
      verdicts.push(
        unknownBuild(
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
              build,
              framework,
              'a CUDA build whose CUDA version is not recorded'
            )
      );
    }
  }
  return verdicts;
}

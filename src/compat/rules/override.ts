import { formatCuda, parseCuda, compareCuda } from '../cudaVersion';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';
import { describeDriver, describeNoGpu } from './machineText';

/*
 * CONDA_OVERRIDE_CUDA (C2): conda solves as if the driver supported this
 * CUDA. Useful on GPU-less login nodes; a trap when it claims more than the
 * real driver, since conda then installs builds the driver cannot run.
 */

/**
 * Whether the environment holds a CUDA build: a framework's, or a CUDA pin
 * (cudatoolkit, cuda-version, …) stated by a package.
 */
function hasCudaBuild(context: IRuleContext): boolean {
  return (
    context.builds.some(b => b.kind === 'cuda') ||
    context.signals.some(s => s.kind === 'cuda' && !s.inferred)
  );
}

/**
 * A verdict when CONDA_OVERRIDE_CUDA is set for the server, for an
 * environment whose CUDA builds it may have chosen; the header shows the
 * override for every other one.
 */
export function overrideVerdicts(context: IRuleContext): IVerdict[] {
  const value = context.facts.conda_override_cuda;
  if (value === null || !hasCudaBuild(context)) {
    return [];
  }
  const sourced = { sources: ['C1', 'C2', 'F5'], verified: true };
  const fix =
    'Unless you are preparing this environment for another machine (e.g. on a login node), unset it in the shell that starts Jupyter and conda: `unset CONDA_OVERRIDE_CUDA`.';
  if (value.trim() === '') {
    // An empty override hides the driver altogether (C2).
    return [
      verdict('cuda-override-active', {
        template:
          'CONDA_OVERRIDE_CUDA is set but empty: conda solves as if there were no CUDA driver (no __cuda), so it will not install builds that depend on __cuda.',
        params: {},
        packages: [],
        sourced,
        fix
      })
    ];
  }
  const gpu = context.facts.gpu;
  const drv = context.driver;
  const claimed = parseCuda(value);
  let real: string;
  if (!gpu.available) {
    real = `no NVIDIA GPU was found here: ${describeNoGpu(gpu)}`;
  } else if (drv) {
    const above = claimed && compareCuda(claimed, drv.cuda) > 0;
    real = `the real ${describeDriver(gpu, drv)}${above ? ` supports less than CUDA ${formatCuda(claimed)}, so conda may install builds this driver cannot run` : ''}`;
  } else {
    real = 'the real driver did not say which CUDA it supports';
  }
  return [
    verdict('cuda-override-active', {
      template:
        'CONDA_OVERRIDE_CUDA={value} makes conda solve as if the driver supported CUDA {value}; {real}.',
      params: { value, real },
      packages: [],
      sourced,
      fix
    })
  ];
}

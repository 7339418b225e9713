import { isSafeVersion, shellArg } from '../commands';
import { nvidiaWheelsCuda } from '../cudaSignals';
import { compareVersions } from '../version';
import type { IVerdict } from '../verdict';
import { verdict } from '../verdict';
import type { IRuleContext } from './context';
import { describeGpus } from './machineText';

/*
 * pip TensorFlow on Linux from 2.15 on: the plain `tensorflow` wheel does
 * not bring CUDA; `tensorflow[and-cuda]` adds NVIDIA's CUDA 12 wheels
 * (TF2, TF3). Installed without them, it sees the GPU only through CUDA
 * libraries installed on the system.
 */

// The first release with the and-cuda extra (TF2).
const AND_CUDA_SINCE = '2.15';

/**
 * A warning for a plain pip `tensorflow` ≥ 2.15 on a Linux machine with an
 * NVIDIA GPU and no NVIDIA CUDA 12 wheels in the environment.
 */
export function tensorflowVerdicts(context: IRuleContext): IVerdict[] {
  const framework = context.frameworks.find(f => f.kind === 'tensorflow');
  if (
    !framework ||
    framework.source !== 'pypi' ||
    framework.record.normalized_name !== 'tensorflow' ||
    framework.version.includes('+') ||
    compareVersions(framework.version, AND_CUDA_SINCE) < 0 ||
    !context.subdir.startsWith('linux-') ||
    !context.facts.gpu.available
  ) {
    return [];
  }
  const wheels = nvidiaWheelsCuda(context.signals);
  if (wheels?.cuda && wheels.cuda.major >= 12) {
    return [];
  }
  const version = framework.version;
  const install = isSafeVersion(version)
    ? context.commands.pip([
        'install',
        shellArg(`tensorflow[and-cuda]==${version}`)
      ])
    : null;
  return [
    verdict('tensorflow-without-cuda-wheels', {
      template:
        "{framework} {version} was installed without its CUDA libraries (no nvidia-*-cu12 wheels, which tensorflow[and-cuda] brings): unless CUDA 12 and cuDNN are installed on this machine where TensorFlow finds them, it will not see this machine's {gpus}.",
      params: {
        framework: framework.label,
        version,
        gpus: describeGpus(context.facts.gpu)
      },
      packages: [framework.name],
      sourced: { sources: ['TF2', 'TF3'], verified: true },
      fix: install
        ? `Add the CUDA wheels for this release: \`${install}\`.`
        : 'Install tensorflow[and-cuda] of this release.'
    })
  ];
}

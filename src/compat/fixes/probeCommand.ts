import type { CommandTarget } from '../commands';
import type { FrameworkKind } from '../frameworks';

const PROBES: Readonly<Record<FrameworkKind, string>> = {
  pytorch:
    '-c "import torch; print(torch.version.cuda, torch.cuda.is_available())"',
  tensorflow:
    "-c \"import tensorflow as tf; print(tf.sysconfig.get_build_info().get('cuda_version'), tf.config.list_physical_devices('GPU'))\"",
  jax: '-c "import jax; print(jax.devices())"',
  transformers: '-c "import transformers; print(transformers.__version__)"',
  cupy: '-c "import cupy; cupy.show_config()"',
  onnxruntime:
    '-c "import onnxruntime as ort; print(ort.get_available_providers())"'
};

/**
 * A command that asks the framework itself, with the environment's Python.
 */
export function probeCommand(
  kind: FrameworkKind,
  commands: CommandTarget
): string {
  return `${commands.python()} ${PROBES[kind]}`;
}

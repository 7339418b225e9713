/*
 * The verdict codes: stable identifiers the panel, the tests and users can
 * rely on, each with a fixed severity, a title and the rule behind it.
 */

export type Severity = 'error' | 'warning' | 'info' | 'ok';

export type VerdictCode =
  | 'driver-too-old'
  | 'minor-version-compat'
  | 'cuda-build-ok'
  | 'cuda-build-without-gpu'
  | 'cpu-build-on-gpu-machine'
  | 'cpu-build-ok'
  | 'rocm-build'
  | 'build-unknown'
  | 'driver-cuda-unknown'
  | 'python-unsupported'
  | 'python-experimental'
  | 'mixed-cuda-majors'
  | 'gpu-arch-not-covered'
  | 'pip-shadows-conda'
  | 'cuda-override-active'
  | 'transformers-needs-newer-torch'
  | 'tensorflow-without-cuda-wheels';

/**
 * What every verdict of a code shares.
 */
export interface ICodeInfo {
  /** The usual severity; a verdict may differ where its facts say so. */
  severity: Severity;
  title: string;
  rule: string;
}

const DRIVER_RULE =
  'A CUDA X.Y build runs if the driver supports CUDA ≥ X.Y; from CUDA 11 on, also (minor-version compatibility, with caveats) if the driver supports CUDA X.z and is at least the CUDA X floor; otherwise it fails.';

export const VERDICT_CODES: Readonly<Record<VerdictCode, ICodeInfo>> = {
  'driver-too-old': {
    severity: 'error',
    title: 'NVIDIA driver too old for this CUDA build',
    rule: DRIVER_RULE
  },
  'minor-version-compat': {
    severity: 'warning',
    title: 'Runs only through CUDA minor-version compatibility',
    rule: DRIVER_RULE
  },
  'cuda-build-ok': {
    severity: 'ok',
    title: 'CUDA build matches the driver',
    rule: DRIVER_RULE
  },
  'cuda-build-without-gpu': {
    severity: 'warning',
    title: 'CUDA build on a machine without an NVIDIA GPU',
    rule: 'A CUDA build needs an NVIDIA driver and GPU; without them it runs on the CPU only.'
  },
  'cpu-build-on-gpu-machine': {
    severity: 'warning',
    title: 'CPU-only build on a machine with an NVIDIA GPU',
    rule: 'A CPU-only build never uses the GPU.'
  },
  'cpu-build-ok': {
    severity: 'ok',
    title: 'CPU build on a machine without an NVIDIA GPU',
    rule: 'A CPU-only build is what a machine without an NVIDIA GPU can use.'
  },
  'rocm-build': {
    severity: 'info',
    title: 'ROCm (AMD) build',
    rule: 'ROCm builds run on AMD GPUs; they are not checked against NVIDIA drivers.'
  },
  'build-unknown': {
    severity: 'info',
    title: 'CUDA version of the build not known',
    rule: 'Only builds whose CUDA version the package metadata states can be checked against the driver.'
  },
  'driver-cuda-unknown': {
    severity: 'info',
    title: 'CUDA version of the driver not known',
    rule: 'Builds are checked against the highest CUDA the driver supports, reported by the driver or inferred from its version.'
  },
  'python-unsupported': {
    severity: 'error',
    title: 'Python version not supported by this release',
    rule: 'A framework release runs only on the Python versions it was published for (lower bound only for pure-Python packages).'
  },
  'python-experimental': {
    severity: 'warning',
    title: 'Python version supported only experimentally',
    rule: 'Python versions a release lists as experimental may lack wheels or features.'
  },
  'mixed-cuda-majors': {
    severity: 'warning',
    title: 'Two CUDA major versions in one environment',
    rule: "Each CUDA major has its own libraries (libcudart.so.11, libcudart.so.12, …) and its own minimum driver, so a build for one major does not use another major's libraries; two majors in one environment often mean a leftover from a partial reinstall. An inference, not a rule NVIDIA states."
  },
  'gpu-arch-not-covered': {
    severity: 'warning',
    title: 'GPU architecture not covered by this build',
    rule: "A build runs on a GPU if it has machine code (SASS) for the GPU's major and a minor not above the GPU's, or PTX for a compute capability not above the GPU's, which the driver must JIT-compile (a driver older than the build's CUDA cannot); each CUDA major drops old architectures."
  },
  'pip-shadows-conda': {
    severity: 'warning',
    title: 'pip package installed over a conda package',
    rule: "When pip installs a package conda also installed, Python imports pip's copy while conda still records its own, so conda's later changes can break it."
  },
  'cuda-override-active': {
    severity: 'warning',
    title: 'CONDA_OVERRIDE_CUDA masks the real driver',
    rule: 'CONDA_OVERRIDE_CUDA replaces the driver conda detects (__cuda) when it solves, so conda may pick builds the real driver cannot run.'
  },
  'transformers-needs-newer-torch': {
    severity: 'warning',
    title: 'Transformers needs a newer PyTorch',
    rule: 'Each Transformers release series requires a minimum PyTorch version.'
  },
  'tensorflow-without-cuda-wheels': {
    severity: 'warning',
    title: 'TensorFlow without its CUDA libraries',
    rule: 'From 2.15 on, pip TensorFlow on Linux gets CUDA and cuDNN as NVIDIA wheels through its and-cuda extra; without them it uses the GPU only if matching CUDA libraries are installed on the system.'
  }
};

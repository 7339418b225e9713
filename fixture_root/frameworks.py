"""PyTorch and CUDA packages as the pytorch, nvidia, pkgs/main and conda-forge channels publish them.

These are the records the compatibility engine judges, so names, build strings, depends and constrains follow
the real packages (see shared/reference/cuda-compat.md §C1): the pytorch channel encodes CUDA in the build string
and `pytorch-cuda`/`cudatoolkit` depends with no `__cuda`, conda-forge depends on `__cuda` and `cuda-version`.
"""

from __future__ import annotations

from .model import CondaPackage


def _torch_version_py(version: str, cuda: str | None) -> str:
    # torch/version.py is how a reader learns the CUDA build without importing torch (cuda-compat.md §C2).
    cuda_literal = f"'{cuda}'" if cuda else "None"
    return (
        "from typing import Optional\n\n"
        "__all__ = ['__version__', 'debug', 'cuda', 'git_version', 'hip']\n"
        f"__version__ = '{version}'\n"
        "debug = False\n"
        f"cuda: Optional[str] = {cuda_literal}\n"
        "git_version = '0000000000000000000000000000000000000000'\n"
        "hip: Optional[str] = None\n"
    )


def _so(
    channel: str,
    name: str,
    version: str,
    build: str,
    soname: str,
    *deps: str,
    constrains: tuple[str, ...] = (),
    generic: bool = False,
) -> CondaPackage:
    """A CUDA library package: the file path is the real soname, which the generic `library` payload can't guess."""
    return CondaPackage(
        channel,
        name,
        version,
        build,
        subdir="noarch" if generic else "linux-64",
        noarch="generic" if generic else None,
        depends=deps,
        constrains=constrains,
        extra_files=((f"lib/{soname}", f"placeholder for {name} {version}\n"),),
    )


def _torch(
    channel: str, version: str, build: str, xy: str, cuda: str | None, deps: tuple[str, ...], cons: tuple[str, ...]
) -> CondaPackage:
    return CondaPackage(
        channel,
        "pytorch",
        version,
        build,
        depends=tuple(sorted(deps)),
        constrains=cons,
        payload="python-package",
        python=xy,
        module="torch",
        dist_name="torch",
        extra_files=(("torch/version.py", _torch_version_py(version, cuda)),),
        summary="PyTorch is an optimized tensor library for deep learning using GPUs and CPUs.",
        license="BSD 3-Clause",
    )


_TORCH_21_COMMON = (
    "blas * mkl",
    "filelock",
    "jinja2",
    "llvm-openmp <16",
    "mkl >=2018",
    "networkx",
    "pyyaml",
    "sympy",
    "typing_extensions",
)


def pytorch_channel() -> list[CondaPackage]:
    """The `pytorch` channel: CUDA 11.8 and CPU builds of 2.1.0, the 1.12.1 CUDA 11.3 build, and metapackages."""
    c = "pytorch"
    return [
        CondaPackage(c, "pytorch-mutex", "1.0", "cuda", subdir="noarch", noarch="generic"),
        CondaPackage(c, "pytorch-mutex", "1.0", "cpu", subdir="noarch", noarch="generic"),
        # The real cpuonly also sets `track_features: cpuonly`; assemble_package has no way to set it.
        CondaPackage(c, "cpuonly", "2.0", "0", subdir="noarch", noarch="generic", depends=("pytorch-mutex 1.0 cpu",)),
        CondaPackage(
            c,
            "pytorch-cuda",
            "11.8",
            "h7e8668a_5",
            depends=(
                "cuda-cudart >=11.8,<12.0",
                "cuda-cupti >=11.8,<12.0",
                "cuda-libraries >=11.8,<12.0",
                "cuda-nvrtc >=11.8,<12.0",
                "cuda-nvtx >=11.8,<12.0",
                "cuda-runtime >=11.8,<11.9",
                "libcublas >=11.11.3.6,<12.0.1.189",
                "libcufft >=10.9.0.58,<11.0.0.21",
                "libcusolver >=11.4.1.48,<11.4.2.57",
                "libcusparse >=11.7.5.86,<12.0.0.76",
            ),
        ),
        _torch(
            c,
            "2.1.0",
            "py3.10_cuda11.8_cudnn8.7.0_0",
            "3.10",
            "11.8",
            (
                *_TORCH_21_COMMON,
                "python >=3.10,<3.11.0a0",
                "pytorch-cuda >=11.8,<11.9",
                "pytorch-mutex 1.0 cuda",
                "torchtriton 2.1.0",
            ),
            ("cpuonly <0",),
        ),
        _torch(
            c,
            "2.1.0",
            "py3.11_cpu_0",
            "3.11",
            None,
            (*_TORCH_21_COMMON, "python >=3.11,<3.12.0a0", "pytorch-mutex 1.0 cpu"),
            ("cpuonly",),
        ),
        _torch(
            c,
            "1.12.1",
            "py3.8_cuda11.3_cudnn8.3.2_0",
            "3.8",
            "11.3",
            (
                "blas * mkl",
                "cudatoolkit >=11.3,<11.4",
                "mkl >=2018",
                "python >=3.8,<3.9.0a0",
                "pytorch-mutex 1.0 cuda",
                "typing_extensions",
            ),
            ("cpuonly <0",),
        ),
        CondaPackage(
            c,
            "torchtriton",
            "2.1.0",
            "py310",
            depends=("filelock", "python >=3.10,<3.11.0a0", "pytorch"),
            payload="python-package",
            python="3.10",
            module="triton",
            dist_name="triton",
        ),
        CondaPackage(
            c,
            "torchvision",
            "0.16.0",
            "py310_cu118",
            depends=(
                "jpeg",
                "libpng",
                "numpy >=1.23.5",
                "pillow >=5.3.0,!=8.3.*",
                "python >=3.10,<3.11.0a0",
                "pytorch 2.1.0",
                "pytorch-cuda 11.8.*",
                "pytorch-mutex 1.0 cuda",
                "requests",
            ),
            payload="python-package",
            python="3.10",
        ),
        CondaPackage(
            c,
            "torchaudio",
            "2.1.0",
            "py310_cu118",
            depends=("python >=3.10,<3.11.0a0", "pytorch 2.1.0", "pytorch-cuda 11.8.*", "pytorch-mutex 1.0 cuda"),
            payload="python-package",
            python="3.10",
        ),
    ]


def nvidia_cuda_118() -> list[CondaPackage]:
    """The split CUDA 11.8 runtime from the `nvidia` channel that `pytorch-cuda 11.8` pulls in."""
    c = "nvidia"
    return [
        _so(c, "cuda-cudart", "11.8.89", "0", "libcudart.so.11.0"),
        _so(c, "cuda-cupti", "11.8.87", "0", "libcupti.so.11.8"),
        _so(c, "cuda-nvrtc", "11.8.89", "0", "libnvrtc.so.11.2"),
        _so(c, "cuda-nvtx", "11.8.86", "0", "libnvToolsExt.so.1"),
        _so(c, "libcublas", "11.11.3.6", "0", "libcublas.so.11"),
        _so(c, "libcufft", "10.9.0.58", "0", "libcufft.so.10"),
        _so(c, "libcurand", "10.3.0.86", "0", "libcurand.so.10"),
        _so(c, "libcusolver", "11.4.1.48", "0", "libcusolver.so.11"),
        _so(c, "libcusparse", "11.7.5.86", "0", "libcusparse.so.11"),
        CondaPackage(
            c,
            "cuda-libraries",
            "11.8.0",
            "0",
            depends=(
                "cuda-cudart >=11.8.89",
                "cuda-nvrtc >=11.8.89",
                "libcublas >=11.11.3.6",
                "libcufft >=10.9.0.58",
                "libcurand >=10.3.0.86",
                "libcusolver >=11.4.1.48",
                "libcusparse >=11.7.5.86",
            ),
        ),
        CondaPackage(c, "cuda-runtime", "11.8.0", "0", depends=("cuda-libraries >=11.8.0",)),
    ]


def cudatoolkit_113() -> CondaPackage:
    """The monolithic legacy toolkit (≤ 11.8) that pytorch 1.12 depends on, from pkgs/main."""
    return _so(
        "pkgs/main",
        "cudatoolkit",
        "11.3.1",
        "h2bc3f7f_2",
        "libcudart.so.11.0",
        "libgcc-ng >=9.3.0",
        "libstdcxx-ng >=9.3.0",
        constrains=("__cuda >=11",),
    )


def conda_forge_cuda_126() -> list[CondaPackage]:
    """conda-forge's pytorch 2.5.1 for CUDA 12.6 (Python 3.12) and the split CUDA 12 packages it needs."""
    c = "conda-forge"
    cv = "cuda-version >=12.6,<12.7.0a0"
    glibc = "__glibc >=2.17,<3.0.a0"
    gpu_deps = (
        "__cuda",
        glibc,
        "cuda-cudart >=12.6.77,<13.0a0",
        "cuda-nvrtc >=12.6.85,<13.0a0",
        "cuda-version >=12.6,<13",
        "cudnn >=9.3.0.75,<10.0a0",
        "libcublas >=12.6.4.1,<13.0a0",
        "libgcc >=13",
        "libstdcxx >=13",
        "mkl >=2024.2.2,<2025.0a0",
        "nccl >=2.23.4.1,<3.0a0",
    )
    variant = ("pytorch-cpu ==99999999", "pytorch-gpu ==2.5.1")
    libtorch_build = "cuda126_mkl_h99b69db_306"
    return [
        CondaPackage(
            c,
            "cuda-version",
            "12.6",
            "h7480c83_3",
            subdir="noarch",
            noarch="generic",
            constrains=("__cuda >=12", "cudatoolkit 12.6|12.6.*"),
        ),
        _so(
            c,
            "cuda-cudart_linux-64",
            "12.6.77",
            "h3f2d84a_0",
            "libcudart.so.12",
            cv,
            generic=True,
        ),
        CondaPackage(
            c,
            "cuda-cudart",
            "12.6.77",
            "h5888daf_0",
            depends=(glibc, "cuda-cudart_linux-64 12.6.77 h3f2d84a_0", cv, "libgcc >=13", "libstdcxx >=13"),
        ),
        _so(c, "cuda-nvrtc", "12.6.85", "hbd13f7d_0", "libnvrtc.so.12", glibc, cv, "libgcc >=13", "libstdcxx >=13"),
        _so(c, "libcublas", "12.6.4.1", "hbd13f7d_0", "libcublas.so.12", glibc, "cuda-nvrtc", cv, "libgcc >=13"),
        _so(
            c,
            "cudnn",
            "9.3.0.75",
            "h93bb076_0",
            "libcudnn.so.9",
            glibc,
            "cuda-nvrtc",
            "cuda-version >=12,<13.0a0",
            "libcublas",
            "libgcc >=13",
            "libzlib >=1.3.1,<2.0a0",
        ),
        _so(c, "nccl", "2.23.4.1", "h2b5d15b_3", "libnccl.so.2", "cuda-version >=12.6,<13.0a0", "libgcc >=13"),
        CondaPackage(
            c,
            "libtorch",
            "2.5.1",
            libtorch_build,
            depends=tuple(sorted((*gpu_deps, "libblas * *mkl", "libcblas >=3.9.0,<4.0a0"))),
            constrains=(*variant, "pytorch 2.5.1 cuda126_mkl_*_306"),
            payload="library",
        ),
        _torch(
            c,
            "2.5.1",
            "cuda126_mkl_py312_h30b5a27_306",
            "3.12",
            "12.6",
            (
                *gpu_deps,
                "filelock",
                "fsspec",
                "jinja2",
                f"libtorch 2.5.1 {libtorch_build}",
                "networkx",
                "numpy >=1.19,<3",
                "python >=3.12,<3.13.0a0",
                "python_abi 3.12.* *_cp312",
                "sympy >=1.13.1,!=1.13.2",
                "typing_extensions >=4.10.0",
            ),
            variant,
        ),
    ]

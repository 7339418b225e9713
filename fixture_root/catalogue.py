"""The `test` (= `demo`) catalogue: the environments a GPU user with Miniconda really ends up with.

Each environment names the case it stands for; the manifest carries these expectations to the tests.
`catalogues.catalogue(name)` picks a catalogue by name; the `bench` catalogue is generated in `bench.py`.
"""

from __future__ import annotations

import platform

from . import frameworks, pystack
from .model import Catalogue, CondaPackage, Conflict, EnvSpec
from .shared import HF, WHEELS
from .shared import VIRTUAL_PACKAGES as VIRTUAL_PACKAGES  # re-exported: tests take it from here with HOST_PYTHON

# The runnable env's conda `python` record must match the interpreter its venv really runs.
HOST_PYTHON = platform.python_version()
PY38, PY310, PY311, PY312 = "3.8.18", "3.10.13", "3.11.5", "3.12.7"
PYTORCH = ("pytorch", "nvidia", "pkgs/main")


# Activation hooks shipped as package files, the way cuda-nvcc ships `etc/conda/activate.d/~cuda-nvcc_activate.sh`:
# conda sources them on `conda activate`, so a kernel that skips activation runs without these variables.
HOOKS = "cuda-env-hooks"
_HOOK_ACTIVATE = (
    "# Sourced by conda on activation (POSIX sh): point XLA at this environment's CUDA tree.\n"
    'export CONDA_ENVS_FIXTURE_ACTIVATED="yes"\n'
    'export XLA_FLAGS="--xla_gpu_cuda_data_dir=${CONDA_PREFIX}"\n'
)
_HOOK_DEACTIVATE = (
    "# Sourced by conda on deactivation (POSIX sh): undo what the activate.d script set.\n"
    "unset CONDA_ENVS_FIXTURE_ACTIVATED\n"
    "unset XLA_FLAGS\n"
)


def cuda_env_hooks() -> CondaPackage:
    return CondaPackage(
        "conda-forge",
        HOOKS,
        "1.0.0",
        "hd8ed1ab_0",
        subdir="noarch",
        noarch="generic",
        extra_files=(
            (f"etc/conda/activate.d/{HOOKS}_activate.sh", _HOOK_ACTIVATE),
            (f"etc/conda/deactivate.d/{HOOKS}_deactivate.sh", _HOOK_DEACTIVATE),
        ),
        summary="Activation hooks that point XLA at the environment's CUDA toolkit",
        license="BSD-3-Clause",
    )


def _packages(interpreter_files: int) -> tuple[CondaPackage, ...]:
    main_pythons = sorted({PY38, PY310, PY311, HOST_PYTHON})
    numpy_main = {"3.8": ["1.24.3"], "3.10": ["1.26.2"], "3.11": ["1.26.2", "1.24.3"]}
    return (
        *pystack.stack("main", main_pythons, interpreter_files, numpy_main),
        *pystack.stack("cf", [PY312], interpreter_files, {"3.12": ["2.1.3"]}),
        *frameworks.pytorch_channel(),
        *frameworks.nvidia_cuda_118(),
        frameworks.cudatoolkit_113(),
        *frameworks.conda_forge_cuda_126(),
        cuda_env_hooks(),
    )


def _envs() -> tuple[EnvSpec, ...]:
    main = ("pkgs/main",)
    return (
        EnvSpec("base", "base", main, (f"python=={PY311}", "conda==24.1.2", "pip", "requests"), PY311),
        EnvSpec(
            "glm_finetune",
            "envs",
            PYTORCH,
            (
                f"python=={PY310}",
                "pytorch=2.1.0=py3.10_cuda11.8_cudnn8.7.0_0",
                "pytorch-cuda==11.8",
                "torchvision==0.16.0",
                "torchaudio==2.1.0",
                "ipykernel",
                "numpy",
                "pip",
            ),
            PY310,
            pip=HF,
            notes=("pytorch channel CUDA 11.8 build; Hugging Face stack from pip",),
        ),
        EnvSpec(
            "legacy_bert",
            "envs",
            ("pytorch", "pkgs/main"),
            (
                f"python=={PY38}",
                "pytorch=1.12.1=py3.8_cuda11.3_cudnn8.3.2_0",
                "cudatoolkit==11.3.1",
                "ipykernel",
                "pip",
            ),
            PY38,
            notes=("pre-1.13 pytorch: CUDA through the monolithic cudatoolkit, not pytorch-cuda",),
        ),
        EnvSpec(
            "cf_cuda12",
            "envs",
            ("conda-forge",),
            (
                f"python=={PY312}",
                "pytorch=2.5.1=cuda126_mkl_py312_h30b5a27_306",
                "cuda-version==12.6",
                "ipykernel",
                "pip",
            ),
            PY312,
            notes=("conda-forge CUDA build: depends on __cuda and cuda-version",),
        ),
        EnvSpec(
            "cpu_only",
            "envs",
            PYTORCH,
            (f"python=={PY311}", "pytorch=2.1.0=py3.11_cpu_0", "cpuonly==2.0", "ipykernel", "pip"),
            PY311,
            notes=("CPU build: pytorch-mutex 1.0 cpu and cpuonly; no pip packages",),
        ),
        EnvSpec(
            "pip_shadow",
            "envs",
            main,
            (f"python=={PY311}", "numpy==1.24.3", "ipykernel", "pip"),
            PY311,
            pip=(("numpy", "1.26.4"),),
            conflicts=(Conflict("numpy", "1.24.3", "1.26.4"),),
            notes=("pip numpy 1.26.4 installed over conda numpy 1.24.3; conda's record and dist-info remain",),
        ),
        EnvSpec("no_kernel", "envs", main, (f"python=={PY311}", "pip"), PY311, notes=("python but no ipykernel",)),
        EnvSpec(
            "données_ü",
            "envs",
            main,
            (f"python=={PY311}", "ipykernel", "pip", "requests"),
            PY311,
            notes=("non-ASCII environment name",),
        ),
        EnvSpec(
            "corrupt_record",
            "envs",
            main,
            (f"python=={PY311}", "ipykernel", "pip", "requests"),
            PY311,
            corrupt_record="requests",
        ),
        EnvSpec(
            "runnable",
            "envs",
            main,
            # No conda pip: its pkgs/main build pulls conda setuptools, which pip then cannot replace (no RECORD);
            # pip, setuptools and ipykernel come from PyPI into the venv instead.
            (f"python=={HOST_PYTHON}",),
            HOST_PYTHON,
            runnable=True,
            notes=(
                "a venv over the conda records: a real interpreter; pip, ipykernel and one editable install by pip",
            ),
        ),
        EnvSpec(
            "gpu_vars",
            "envs",
            # defaults first, so that python comes from pkgs/main; the hooks exist only on conda-forge.
            ("pkgs/main", "conda-forge"),
            (f"python=={HOST_PYTHON}", HOOKS),
            HOST_PYTHON,
            runnable=True,
            register_kernel=False,
            notes=("runnable, with etc/conda/activate.d scripts from a package; no kernelspec registered on disk",),
        ),
        EnvSpec(
            "shared_tools",
            "team",
            main,
            (f"python=={PY311}", "pip"),
            PY311,
            pip=(("rich", "13.7.0"), ("markdown-it-py", "3.0.0"), ("mdurl", "0.1.2")),
            notes=("lives in an envs_dirs entry of .condarc",),
        ),
        EnvSpec(
            "outside_env",
            "outside",
            main,
            (f"python=={PY311}", "numpy==1.26.2", "pip"),
            PY311,
            rel_path="elsewhere/my envs/outside_env",
            notes=("listed only in environments.txt; its prefix has a space",),
        ),
        EnvSpec(
            "project_env",
            "project",
            main,
            (f"python=={PY311}", "ipykernel", "numpy", "pip"),
            PY311,
            rel_path="projects/demo_project/env",
            notes=("project-local prefix (conda create -p ./env), not in environments.txt",),
        ),
        EnvSpec(
            "pixi_default",
            "project",
            main,
            (f"python=={PY311}", "pip"),
            PY311,
            rel_path="projects/pixi_project/.pixi/envs/default",
            manager="pixi",
            notes=("pixi's default environment of a project: no `# cmd:` history, not in environments.txt",),
        ),
    )


def standard_catalogue(name: str = "test") -> Catalogue:
    return Catalogue(
        name=name,
        packages=_packages(interpreter_files=1200),
        wheels=WHEELS,
        envs=_envs(),
        virtual_packages=VIRTUAL_PACKAGES,
        condarc_channels=("pytorch", "nvidia", "defaults"),
        project_yml_env="glm_finetune",
        runnable_project_env="runnable",
        ghost_project_env="ghost_env",
        # The demo too: an environment created from the live channel in the UI then runs its notebooks.
        live_channel=True,
    )

"""Server-side settings, configurable as `c.CondaEnvs.<name>` in jupyter_server_config.py."""

from __future__ import annotations

from traitlets import Bool, Float, Int, List, Unicode
from traitlets.config import Configurable


class CondaEnvs(Configurable):
    extra_env_dirs = List(
        Unicode(),
        default_value=[],
        help="Extra folders whose sub-folders are conda environments (like conda's envs_dirs).",
    ).tag(config=True)

    exclude = List(
        Unicode(),
        default_value=[],
        help="fnmatch patterns; environments whose name or prefix matches one are not listed.",
    ).tag(config=True)

    cache = Bool(
        True,
        help="Cache each environment's package list until conda-meta/ or site-packages changes.",
    ).tag(config=True)

    project_scan_depth = Int(
        3,
        help="How many folder levels below the server root to search for project-local prefixes (-1: off).",
    ).tag(config=True)

    gpu_facts_file = Unicode(
        "",
        help="A JSON file of GPU facts used instead of detecting them (demos, UI tests); the panel says 'simulated'.",
    ).tag(config=True)

    nvidia_smi_timeout = Float(5.0, help="Seconds to wait for nvidia-smi before giving up on it.").tag(config=True)

    system_cache_seconds = Float(
        30.0, help="How long the machine's GPU facts are reused before they are detected again."
    ).tag(config=True)

    probe_timeout = Float(
        60.0, help="Seconds 'Check in environment' waits for the environment's Python (importing torch can be slow)."
    ).tag(config=True)

    conda_executable = Unicode(
        "",
        help="The conda, mamba or micromamba executable that creates environments (absolute path); by default the one "
        "behind CONDA_EXE / MAMBA_EXE, else the first on PATH.",
    ).tag(config=True)

    create_backend = Unicode(
        "auto",
        help="What creates environments: auto (a conda CLI if found, else the built-in py-rattler backend when "
        "installed), conda, mamba, mamba2, micromamba or rattler.",
    ).tag(config=True)

    create_backend_choices = List(
        Unicode(),
        default_value=[],
        help="With create_backend auto: the tools a user may pick in the create dialog (conda, mamba, mamba2, "
        "micromamba, rattler), where found. Empty (the default): no choice, the server's pick runs. Sites whose "
        ".condarc mirrors or restricts channels should not offer rattler, which does not read those settings.",
    ).tag(config=True)

    create_pkgs_dir = Unicode(
        "",
        help="The package cache of the built-in py-rattler backend; by default ~/.cache/jupyterlab-conda-envs/pkgs.",
    ).tag(config=True)

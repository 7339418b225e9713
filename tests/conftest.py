"""Shared pytest fixtures: the real fixture conda root, and a Jupyter server with the extension loaded."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixture_root import build_root, load_manifest
from fixture_root.conda_made import build_conda_root

from .real_conda import require_real_conda

pytest_plugins = ("pytest_jupyter.jupyter_server",)

REPO = Path(__file__).resolve().parent.parent
KSM_CLASS = "jupyterlab_conda_envs.kernels.kernelspec_manager.CondaEnvsKernelSpecManager"


@pytest.fixture(scope="session")
def conda_root() -> dict[str, Any]:
    """The `test` catalogue, built once (reused across runs when unchanged) by real conda tooling."""
    out = Path(os.environ.get("CONDA_ENVS_FIXTURE_ROOT") or REPO / ".fixture-root" / "test")
    build_root("test", out, reuse=True)
    return load_manifest(out)


@pytest.fixture(scope="session")
def conda_made(conda_root: dict[str, Any]) -> dict[str, Any]:
    """The `conda` catalogue: a root whose every environment the real conda CLI made (fixture_root.conda_made)."""
    conda = require_real_conda()
    out = Path(os.environ.get("CONDA_ENVS_CONDA_MADE_ROOT") or REPO / ".fixture-root" / "conda")
    return build_conda_root(out, conda, Path(conda_root["fixture_dir"]))


@pytest.fixture
def made_environ(
    conda_made: dict[str, Any], jp_environ: None, jp_home_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the server at the conda-made root: its environments.txt and .condarc in pytest-jupyter's HOME, and
    CONDA_EXE at the root's `bin/conda`, as a Miniconda install has them."""
    fixture_home = Path(conda_made["paths"]["home"])
    (jp_home_dir / ".conda").mkdir(parents=True, exist_ok=True)
    shutil.copy2(fixture_home / ".conda" / "environments.txt", jp_home_dir / ".conda" / "environments.txt")
    shutil.copy2(fixture_home / ".condarc", jp_home_dir / ".condarc")
    for key in list(os.environ):
        own = key.startswith("CONDA_ENVS_")  # the project's own settings (which conda, which roots)
        if (key.startswith(("CONDA_", "MAMBA_")) and not own) or key in ("CONDARC", "JUPYTER_PATH"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("CONDA_EXE", conda_made["env"]["CONDA_EXE"])
    return jp_home_dir


def env_named(manifest: dict[str, Any], name: str) -> dict[str, Any]:
    for env in manifest["envs"]:
        if env["name"] == name:
            return env
    raise KeyError(name)


@pytest.fixture
def conda_environ(
    conda_root: dict[str, Any], jp_environ: None, jp_home_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the server's discovery at the fixture root, keeping pytest-jupyter's isolated HOME.

    environments.txt and .condarc are copied into the isolated HOME exactly as conda wrote them there.
    """
    fixture_home = Path(conda_root["paths"]["home"])
    (jp_home_dir / ".conda").mkdir(parents=True, exist_ok=True)
    shutil.copy2(fixture_home / ".conda" / "environments.txt", jp_home_dir / ".conda" / "environments.txt")
    shutil.copy2(fixture_home / ".condarc", jp_home_dir / ".condarc")
    for key, value in conda_root["env"].items():
        if key == "HOME":
            continue
        if value:
            monkeypatch.setenv(key, value)
        else:
            monkeypatch.delenv(key, raising=False)
    for key in ("CONDA_PREFIX", "MAMBA_ROOT_PREFIX", "MAMBA_EXE", "CONDA_ENVS_PATH", "CONDARC"):
        if not conda_root["env"].get(key):
            monkeypatch.delenv(key, raising=False)
    return jp_home_dir


@pytest.fixture
def jp_server_config(conda_environ: Path) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_conda_envs": True},
            "allow_unauthenticated_access": False,
        },
    }


@pytest.fixture
def tmp_conda_home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "home"
    home.mkdir()
    yield home


def live_processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every process that still runs (zombies excluded: they run nothing)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                # The command name may hold spaces and parentheses: the fields start after its last `)`.
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            found.append((int(entry), int(fields[1]), int(fields[2])))
    return found


def group_members(pgid: int) -> list[int]:
    """Live processes of process group `pgid`."""
    return [pid for pid, _, group in live_processes() if group == pgid]


def alive(pid: int) -> bool:
    """Whether a process still runs (a zombie awaiting its parent's wait does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False

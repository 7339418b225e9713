"""What `pip install jupyterlab-conda-envs` gets: a wheel with the prebuilt labextension and the server config."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    if not (REPO / "jupyterlab_conda_envs" / "labextension" / "package.json").exists():
        pytest.fail("the labextension is not built: run scripts/setup.sh (jlpm build) first")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("jupyterlab_conda_envs-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_carries_the_prebuilt_labextension_and_server_config(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    data = next(n.split("/")[0] for n in names if ".data/" in n)
    ext = f"{data}/data/share/jupyter/labextensions/jupyterlab-conda-envs"
    assert f"{ext}/package.json" in names
    assert f"{ext}/install.json" in names
    assert any(n.startswith(f"{ext}/static/remoteEntry.") for n in names)
    assert f"{ext}/schemas/jupyterlab-conda-envs/plugin.json" in names
    assert f"{data}/data/etc/jupyter/jupyter_server_config.d/jupyterlab_conda_envs.json" in names
    assert "jupyterlab_conda_envs/core/routes.py" in names
    # Test and demo tooling stays out of what users install.
    assert not [n for n in names if n.startswith(("fixture_root/", "tests/", "benchmarks/", "ui-tests/"))]


def test_jupyter_reports_both_extensions_ok() -> None:
    env = dict(os.environ)
    server = subprocess.run(
        [str(BIN / "jupyter"), "server", "extension", "list"], capture_output=True, text=True, env=env, check=True
    )
    lines = (server.stdout + server.stderr).splitlines()
    assert any("jupyterlab_conda_envs" in line and "OK" in line for line in lines), lines
    lab = subprocess.run(
        [str(BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True, env=env, check=True
    )
    lines = (lab.stdout + lab.stderr).splitlines()
    assert any("jupyterlab-conda-envs" in line and "enabled" in line and "OK" in line for line in lines), lines

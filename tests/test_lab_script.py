"""scripts/lab.sh run for real (setup skipped): on a machine with conda it uses that conda and says which, and the
server it starts answers the extension's routes; stopping its process group leaves nothing behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import group_members
from .real_conda import REPO, require_real_conda

STARTUP_SECONDS = 60
TOKEN = "lab-script-test-token"
# What would point lab.sh or discovery at another conda than the one each test gives it.
_CLEARED = (
    "CONDA_EXE",
    "CONDA_PREFIX",
    "MAMBA_EXE",
    "MAMBA_ROOT_PREFIX",
    "CONDA_ENVS_PATH",
    "CONDARC",
    "CONDA_ENVS_DEMO",
)


@dataclass
class Lab:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}", headers={"Authorization": f"token {TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            return json.loads(response.read())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(process: subprocess.Popen[bytes]) -> None:
    pgid = process.pid  # start_new_session: the script leads its own group
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = group_members(pgid)
    if survivors:
        os.killpg(pgid, signal.SIGKILL)
    assert survivors == [], f"processes of lab.sh survived: {survivors}"


@pytest.fixture
def start_lab(tmp_path: Path) -> Iterator[Any]:
    started: list[subprocess.Popen[bytes]] = []

    def start(home: Path, path_dirs: list[str]) -> Lab:
        environ = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        port = _free_port()
        environ.update(
            HOME=str(home),
            PATH=os.pathsep.join([*path_dirs, "/usr/bin", "/bin"]),
            CONDA_ENVS_LAB_SKIP_SETUP="1",
            # The worktree's package, not whichever copy the interpreter has installed.
            PYTHONPATH=str(REPO),
            JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        )
        log = tmp_path / f"lab-{port}.log"
        argv = [
            "bash",
            str(REPO / "scripts" / "lab.sh"),
            "--no-browser",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={tmp_path}",
        ]
        with open(log, "wb") as out:
            process = subprocess.Popen(
                argv, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=tmp_path
            )
        started.append(process)
        lab = Lab(process, port, log)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, f"lab.sh exited {process.returncode}:\n{lab.output()}"
            try:
                lab.get("api/status")
                return lab
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            assert time.monotonic() < deadline, f"no server after {STARTUP_SECONDS} s:\n{lab.output()}"
            time.sleep(0.25)

    yield start
    for process in started:
        _stop(process)


def _interpreter_bin() -> str:
    """Where this test's `jupyter` is: next to the interpreter running it."""
    return str(Path(sys.executable).parent)


def test_uses_the_conda_on_path(start_lab: Any, tmp_path: Path) -> None:
    conda = require_real_conda()
    home = tmp_path / "home"
    home.mkdir()
    lab: Lab = start_lab(home, [_interpreter_bin(), str(conda.parent)])
    first = lab.output().splitlines()[0]
    assert first == f"lab: using this machine's conda ({conda}, found on PATH)"
    assert "demo" not in lab.output()
    listing = lab.get("conda-envs/environments")
    assert isinstance(listing["environments"], list)
    _stop(lab.process)


def test_finds_a_conda_in_a_default_place(start_lab: Any, tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = home / "miniconda3"
    (root / "conda-meta").mkdir(parents=True)
    (root / "conda-meta" / "history").write_text("")
    lab: Lab = start_lab(home, [_interpreter_bin()])
    assert lab.output().splitlines()[0] == f"lab: using this machine's conda (the installation in {root})"
    # lab.sh and discovery agree: the root it named is listed, as the base environment.
    listing = lab.get("conda-envs/environments")
    by_prefix = {e["prefix"]: e for e in listing["environments"]}
    assert by_prefix[os.path.realpath(root)]["kind"] == "base"
    _stop(lab.process)


def test_lab_sh_looks_in_the_default_places_discovery_reads() -> None:
    """lab.sh is shell and cannot import discovery's list: the two are kept equal here."""
    from jupyterlab_conda_envs.environments.discovery import _DEFAULT_ROOT_NAMES

    script = (Path(__file__).resolve().parent.parent / "scripts" / "lab.sh").read_text(encoding="utf-8")
    loop = next(line for line in script.splitlines() if line.strip().startswith("for name in "))
    names = loop.split(" in ", 1)[1].split(";", 1)[0].split()
    assert tuple(names) == _DEFAULT_ROOT_NAMES

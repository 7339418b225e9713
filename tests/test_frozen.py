"""Frozen environments (CEP 22): `conda-meta/frozen` read as conda reads it, in the listing, and against the real
conda's own answers (`conda env list --json`, and the message of its refusal to install into a frozen env)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_conda_envs.environments.frozen import MAX_FROZEN_BYTES, frozen_message
from tests.real_conda import conda_json, conda_world_environ, require_real_conda, run_conda

# --- the reader on its own --------------------------------------------------------------------------------------


@pytest.fixture
def prefix(tmp_path: Path) -> Path:
    (tmp_path / "env" / "conda-meta").mkdir(parents=True)
    (tmp_path / "env" / "conda-meta" / "history").write_text("")
    return tmp_path / "env"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ""),
        (b'{"message": "pinned for the paper"}', "pinned for the paper"),
        (b'{"message": "caf\xc3\xa9 <b>x</b>"}', "café <b>x</b>"),
        (b"{}", ""),
        (b"not json", ""),
        (b"  \n", ""),
        (b'["a list"]', ""),
        (b'{"message": 42}', ""),
        (b"\xff\xfe", ""),
    ],
)
def test_frozen_file_contents(prefix: Path, content: bytes, expected: str) -> None:
    (prefix / "conda-meta" / "frozen").write_bytes(content)
    assert frozen_message(str(prefix)) == expected


def test_not_frozen_without_the_file(prefix: Path) -> None:
    assert frozen_message(str(prefix)) is None
    assert frozen_message(str(prefix / "missing")) is None


def test_a_folder_named_frozen_is_not_the_marker(prefix: Path) -> None:
    # conda's is_frozen is Path.is_file(): a directory does not freeze the environment.
    (prefix / "conda-meta" / "frozen").mkdir()
    assert frozen_message(str(prefix)) is None


def test_a_symlink_to_a_file_freezes_as_in_conda(prefix: Path) -> None:
    target = prefix.parent / "policy.json"
    target.write_text('{"message": "team policy"}')
    (prefix / "conda-meta" / "frozen").symlink_to(target)
    assert frozen_message(str(prefix)) == "team policy"
    target.unlink()  # dangling: is_file() is False
    assert frozen_message(str(prefix)) is None


def test_a_huge_file_is_frozen_but_not_read_whole(prefix: Path) -> None:
    big = json.dumps({"message": "x" * (MAX_FROZEN_BYTES * 2)})
    (prefix / "conda-meta" / "frozen").write_text(big)
    assert frozen_message(str(prefix)) == ""


def test_a_fifo_does_not_block(prefix: Path) -> None:
    os.mkfifo(prefix / "conda-meta" / "frozen")
    assert frozen_message(str(prefix)) is None


# --- the real conda: one environment it made, listed by it and by the server --------------------------------------


@pytest.fixture(scope="module")
def conda_world(tmp_path_factory: pytest.TempPathFactory, conda_root: dict[str, Any]) -> dict[str, Any]:
    """A conda root with one environment created by the real conda from the fixture's placeholder channel."""
    conda = require_real_conda()
    base = tmp_path_factory.mktemp("frozen-world")
    root, home = base / "root", base / "home"
    (root / "conda-meta").mkdir(parents=True)
    (root / "conda-meta" / "history").write_text("")
    home.mkdir()
    condarc = base / "condarc"
    condarc.write_text(
        f"root_prefix: {root}\nenvs_dirs: [{root / 'envs'}]\npkgs_dirs: [{base / 'pkgs'}]\n"
        "channels: []\nsolver: rattler\n"
    )
    environ = conda_world_environ(home, condarc)
    channel = Path(conda_root["paths"]["channels"]) / "pkgs" / "main"
    env = root / "envs" / "frz"
    run_conda(
        conda,
        ["create", "-y", "-q", "-p", str(env), "-c", channel.as_uri(), "--override-channels", "python=3.10"],
        environ,
    )
    return {"conda": conda, "environ": environ, "env": env, "channel": channel.as_uri()}


def _conda_frozen(world: dict[str, Any]) -> bool:
    listing = conda_json(world["conda"], ["env", "list"], world["environ"])
    return bool(listing["envs_details"][str(world["env"])]["frozen"])


@pytest.fixture
def frozen_file(conda_world: dict[str, Any]) -> Iterator[Path]:
    path = Path(conda_world["env"]) / "conda-meta" / "frozen"
    yield path
    if path.exists():
        path.unlink()


@pytest.fixture
def jp_server_config(
    conda_world: dict[str, Any], jp_home_dir: Path, jp_environ: None, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """The server sees only the real-conda world: its environment is registered as conda registers it."""
    for key in ("CONDA_EXE", "CONDA_PREFIX", "MAMBA_ROOT_PREFIX", "MAMBA_EXE", "CONDA_ENVS_PATH", "CONDARC"):
        monkeypatch.delenv(key, raising=False)
    (jp_home_dir / ".conda").mkdir(exist_ok=True)
    (jp_home_dir / ".conda" / "environments.txt").write_text(f"{conda_world['env']}\n")
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}}}


async def _listed(jp_fetch: Any, env: Path) -> dict[str, Any]:
    response = await jp_fetch("conda-envs", "environments")
    data = json.loads(response.body)
    return next(e for e in data["environments"] if e["prefix"] == os.path.realpath(env))


async def test_listing_reports_frozen_as_real_conda_does(
    jp_fetch: Any, conda_world: dict[str, Any], frozen_file: Path
) -> None:
    env = conda_world["env"]
    before = await _listed(jp_fetch, env)
    assert (before["frozen"], before["frozen_message"]) == (False, None)
    assert _conda_frozen(conda_world) is False

    frozen_file.write_text("")
    listed = await _listed(jp_fetch, env)
    assert (listed["frozen"], listed["frozen_message"]) == (True, None)
    assert _conda_frozen(conda_world) is True
    # The file's appearance changes conda-meta's mtime, which the inventory cache keys on.
    assert listed["revision"] != before["revision"]

    frozen_file.write_text('{"message": "pinned for the paper"}')
    listed = await _listed(jp_fetch, env)
    assert (listed["frozen"], listed["frozen_message"]) == (True, "pinned for the paper")
    # The same message conda gives when it refuses to change the environment.
    refused = run_conda(
        conda_world["conda"],
        ["install", "-y", "-p", str(env), "-c", conda_world["channel"], "--override-channels", "pip", "--json"],
        conda_world["environ"],
        check=False,
    )
    assert refused.returncode != 0
    error = json.loads(refused.stdout)
    assert error["exception_name"] == "EnvironmentIsFrozenError"
    assert "pinned for the paper" in error["message"]

    frozen_file.unlink()
    after = await _listed(jp_fetch, env)
    assert (after["frozen"], after["frozen_message"]) == (False, None)
    assert _conda_frozen(conda_world) is False
    assert after["revision"] != listed["revision"]

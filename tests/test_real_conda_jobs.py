"""Create, update, cancel and frozen refusals through a real jupyter_server whose conda backend is the REAL conda CLI
(tests/real_conda.py), in a world of its own (.condarc, HOME, package cache under tmp_path), offline, from the
fixture's live channel (python and pip that really run here).

Findings these tests hold (conda 26.7, conda-rattler-solver):
- Through a pipe conda writes no progress at all: its JSON progress bars are enabled only when stdout is a tty
  (conda/core/package_cache_data.py `_progress_bar`: `enabled=... and is_tty()`), so the extension gives conda a
  pseudo-terminal for its stdout (core/process.py) and the job shows conda's own progress records.
- SIGINT while linking: conda rolls the transaction back and prints a CondaMultiError holding CondaSignalInterrupt.
- `conda env create --json` onto an existing prefix, frozen or not, replaces it with exit 0 (the frozen marker is
  deleted with it): the extension's own refusal is the only guard.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from .conftest import group_members, live_processes
from .real_conda import conda_world_environ, require_real_conda, run_conda
from .real_conda_channels import holding_channel, sleeper_channel


@pytest.fixture
def world(tmp_path: Path, conda_environ: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """The server's environment points conda at tmp_path only (the fixture's .condarc names online channels)."""
    conda = require_real_conda()
    envs = tmp_path / "envs"
    envs.mkdir()
    condarc = tmp_path / "condarc"
    condarc.write_text(
        f"root_prefix: {tmp_path / 'root'}\nenvs_dirs: [{envs}]\npkgs_dirs: [{tmp_path / 'pkgs'}]\n"
        "channels: []\nsolver: rattler\n",
        encoding="utf-8",
    )
    (conda_environ / ".condarc").write_text(condarc.read_text(encoding="utf-8"), encoding="utf-8")
    for key, value in conda_world_environ(conda_environ, condarc).items():
        if os.environ.get(key) != value:
            monkeypatch.setenv(key, value)
    for key in ("CONDA_EXE", "CONDA_PKGS_DIRS", "CONDA_ENVS_PATH", "CONDA_PREFIX"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CONDA_ENVS_PATH", str(envs))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return {"conda": conda, "envs": envs, "home": conda_environ, "condarc": condarc}


@pytest.fixture
def jp_server_config(world: dict[str, Path]) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}},
        "CondaEnvs": {"conda_executable": str(world["conda"]), "create_backend": "conda"},
    }


def _yml(conda_root: dict[str, Any], name: str, *deps: str, channels: tuple[str, ...] = ()) -> str:
    live = Path(conda_root["paths"]["live_channel"]).as_uri()
    lines = [f"name: {name}", "channels:", *(f"  - {c}" for c in (*channels, live)), "dependencies:"]
    return "\n".join([*lines, *(f"  - {d}" for d in deps)]) + "\n"


async def _post(jp_fetch: Any, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    try:
        response = await jp_fetch("conda-envs", "environments", method="POST", body=json.dumps(body))
    except HTTPClientError as err:
        assert err.response is not None
        return err.code, json.loads(err.response.body or b"{}")
    return response.code, json.loads(response.body)


async def _job(jp_fetch: Any, job_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((await jp_fetch("conda-envs", "jobs", job_id)).body)
    return data


async def _finished(jp_fetch: Any, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while (data := await _job(jp_fetch, job_id))["job"]["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, data
        await asyncio.sleep(0.05)
    return data


def _children() -> list[tuple[int, int]]:
    """(pid, pgid) of this process's direct children: the server runs in the test process."""
    return [(pid, pgid) for pid, parent, pgid in live_processes() if parent == os.getpid()]


async def _conda_group(before: set[int]) -> int:
    deadline = time.monotonic() + 20
    while True:
        new = [(pid, pgid) for pid, pgid in _children() if pid not in before]
        if new:
            return new[0][1]
        assert time.monotonic() < deadline, "conda never started"
        await asyncio.sleep(0.02)


async def _cancel(jp_fetch: Any, job_id: str) -> dict[str, Any]:
    response = await jp_fetch("conda-envs", "jobs", job_id, method="DELETE")
    job: dict[str, Any] = json.loads(response.body)["job"]
    return job


async def test_create_and_update_with_prune(jp_fetch: Any, conda_root: dict[str, Any], world: dict[str, Path]) -> None:
    # Without the ipykernel the server adds by default: ipykernel needs asttokens (through ipython).
    yml = _yml(conda_root, "made", "python", "asttokens")
    code, body = await _post(jp_fetch, {"content": yml, "allow": ["channel"], "add_ipykernel": False})
    assert code == 202, body
    data = await _finished(jp_fetch, body["job"]["id"])
    prefix = world["envs"] / "made"
    assert data["job"]["status"] == "succeeded", data["log"]
    # The log holds the command, the phases of conda's progress records (written because its stdout is a terminal)
    # and conda's own result.
    assert data["log"][0].startswith(f"$ {world['conda']} env create --file ")
    assert any(line.startswith(f"Done: {prefix} (") and "packages linked" in line for line in data["log"]), data["log"]
    assert "[download]" in data["log"] and "[link]" in data["log"], data["log"]
    assert any(line.startswith("python-") for line in data["log"]), data["log"]
    assert data["job"]["phase"] == "link" and data["job"]["progress"] == 1.0
    assert list(prefix.glob("conda-meta/asttokens-*.json"))
    # --prune removes what the file no longer asks for; without it, it stays.
    for prune, left in ((False, True), (True, False)):
        body = {"content": _yml(conda_root, "made", "python", "comm"), "update": True, "prune": prune}
        code, answer = await _post(jp_fetch, {**body, "allow": ["channel"], "add_ipykernel": False})
        assert code == 202, answer
        data = await _finished(jp_fetch, answer["job"]["id"])
        assert data["job"]["status"] == "succeeded", data["log"]
        assert bool(list(prefix.glob("conda-meta/asttokens-*.json"))) is left
        assert list(prefix.glob("conda-meta/comm-*.json"))


async def test_a_missing_package_fails_with_condas_error(
    jp_fetch: Any, conda_root: dict[str, Any], world: dict[str, Path]
) -> None:
    code, body = await _post(jp_fetch, {"content": _yml(conda_root, "bad", "nosuchpkg"), "allow": ["channel"]})
    assert code == 202, body
    job = (await _finished(jp_fetch, body["job"]["id"]))["job"]
    assert job["status"] == "failed"
    assert job["error"].startswith("PackagesNotFoundInChannelsError: The following packages are not available")
    assert "  - nosuchpkg" in job["error"]
    assert not (world["envs"] / "bad").exists()


async def test_cancel_while_linking_ends_the_group_and_removes_the_new_prefix(
    jp_fetch: Any, conda_root: dict[str, Any], world: dict[str, Path], tmp_path: Path
) -> None:
    marker = tmp_path / "linking"
    channel = (await asyncio.to_thread(sleeper_channel, tmp_path / "sleepy", marker)).as_uri()
    yml = _yml(conda_root, "slow", "python", "sleeper", channels=(channel,))
    before = {pid for pid, _ in _children()}
    code, body = await _post(jp_fetch, {"content": yml, "allow": ["channel"]})
    assert code == 202, body
    pgid = await _conda_group(before)
    deadline = time.monotonic() + 30
    while not marker.exists() or not marker.read_text().strip():  # the post-link script runs: conda is linking
        assert time.monotonic() < deadline
        await asyncio.sleep(0.02)
    script = int(marker.read_text())
    assert os.getpgid(script) == pgid  # conda runs the script in its own group, which cancel ends
    job = await _cancel(jp_fetch, body["job"]["id"])
    assert job["status"] == "cancelled"
    assert group_members(pgid) == []
    assert not (world["envs"] / "slow").exists()


async def test_cancel_while_solving_leaves_an_updated_prefix_and_makes_no_new_one(
    jp_fetch: Any, conda_root: dict[str, Any], world: dict[str, Path]
) -> None:
    kept = world["envs"] / "kept"
    environ = conda_world_environ(world["home"], world["condarc"])
    live = Path(conda_root["paths"]["live_channel"]).as_uri()
    run_conda(world["conda"], ["create", "--prefix", str(kept), "-c", live, "python", "--yes", "--json"], environ)
    history = (kept / "conda-meta" / "history").read_bytes()
    with holding_channel() as held:
        for name, update in (("kept", True), ("never", False)):
            held.asked.clear()
            yml = _yml(conda_root, name, "python", "comm", channels=(held.url,))
            before = {pid for pid, _ in _children()}
            code, body = await _post(jp_fetch, {"content": yml, "allow": ["channel"], "update": update})
            assert code == 202, body
            pgid = await _conda_group(before)
            # conda asked the channel for its repodata and waits for it: it is fetching metadata to solve.
            assert await asyncio.to_thread(held.asked.wait, 30)
            job = await _cancel(jp_fetch, body["job"]["id"])
            assert job["status"] == "cancelled"
            assert group_members(pgid) == []
    assert (kept / "conda-meta" / "history").read_bytes() == history
    assert not (world["envs"] / "never").exists()


async def test_frozen_prefixes_are_refused_with_condas_words_before_any_process(
    jp_fetch: Any, conda_root: dict[str, Any], world: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyterlab_conda_envs.create import conda_cli
    from jupyterlab_conda_envs.jobs import runner

    environ = conda_world_environ(world["home"], world["condarc"])
    live = Path(conda_root["paths"]["live_channel"]).as_uri()
    cases = {"ice": '{"message": "Managed by the platform team.\\n\\nAsk in #infra."}', "bare": ""}
    for name, content in cases.items():
        prefix = world["envs"] / name
        run_conda(world["conda"], ["create", "--prefix", str(prefix), "-c", live, "python", "--yes", "--json"], environ)
        (prefix / "conda-meta" / "frozen").write_text(content, encoding="utf-8")
    # conda's reason, from conda itself. Normalisation: in --json mode conda prints its error document; its
    # `message` is the bare text (the `error` field adds "EnvironmentIsFrozenError: ", the console "CondaError: ").
    reasons = {}
    for name in cases:
        prefix = str(world["envs"] / name)
        for args in (["install", "--prefix", prefix, "-c", live, "pip"], ["env", "update", "--prefix", prefix]):
            if args[0] == "env":
                yml = world["envs"].parent / "update.yml"
                yml.write_text(_yml(conda_root, name, "python"), encoding="utf-8")
                args = [*args, "--file", str(yml)]
            done = run_conda(world["conda"], [*args, "--json"], environ, check=False)
            assert done.returncode == 1
            error = json.loads(done.stdout)
            assert error["exception_name"] == "EnvironmentIsFrozenError"
            reasons.setdefault(name, error["message"])
            assert error["message"] == reasons[name]

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    monkeypatch.setattr(runner, "run_process", no_process)
    monkeypatch.setattr(conda_cli, "run_bounded", no_process)
    for name in cases:
        for extra in ({"update": True}, {"update": True, "prune": True}, {}):
            body = {"content": _yml(conda_root, name, "python"), "allow": ["channel"], **extra}
            code, answer = await _post(jp_fetch, body)
            assert (code, answer.get("reason")) == (409, "frozen"), answer
            assert answer["message"] == reasons[name]
        assert (world["envs"] / name / "conda-meta" / "frozen").read_text(encoding="utf-8") == cases[name]
    assert "Reason:\n\n    Managed by the platform team.\n\n    Ask in #infra.\n\n" in reasons["ice"]
    assert "Reason" not in reasons["bare"]

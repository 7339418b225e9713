"""Create figures: the built-in py-rattler backend run directly on a file's specs, against the same file through the
server (POST, then polling the job as the UI does), in the same run; and the time from submit to the first progress
the UI can show.

Environments come from two of the test root's local channels, each with python + ipykernel + pip (as the create
dialog's default "Add ipykernel" asks): `pkgs/main`, whose packages are small placeholders, and `live`, whose
packages are this machine's real interpreter and ipykernel stack (31 packages, ~56 MB of files), so the environment
runs. The package cache is warm for both after a first, discarded run. Runs alternate.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyterlab_conda_envs.create.builtin.backend import RattlerEvent, create_with_rattler
from jupyterlab_conda_envs.create.validation import plan_create

from .server import Server, environ_for

REPEAT_CREATE = 5
# The UI polls a running job about every 500 ms; here every 20 ms, to measure the server, not the poll interval.
POLL_S = 0.02


def _yml(manifest: dict[str, Any], channel: str, name: str) -> str:
    if channel == "live":
        folder, python = manifest["paths"]["live_channel"], "python"  # the host's version, whatever it is
    else:
        folder, python = next(c["dir"] for c in manifest["channels"] if c["name"] == channel), "python=3.11.5"
    return f"name: {name}\nchannels:\n  - {Path(folder).as_uri()}\ndependencies:\n  - {python}\n"


def _direct(manifest: dict[str, Any], channel: str, envs: Path, cache: Path, name: str) -> float:
    plan = plan_create(_yml(manifest, channel, name).encode(), allow=("channel",))
    started = time.perf_counter()

    def ignore(event: RattlerEvent) -> None:
        return None

    asyncio.run(
        create_with_rattler(
            str(envs / name), plan.channels, plan.conda, plan.pip, on_event=ignore, cache_dir=str(cache)
        )
    )
    return (time.perf_counter() - started) * 1000


def _through_server(server: Server, manifest: dict[str, Any], channel: str, name: str) -> tuple[float, float]:
    """(ms to the first progress or log line a poll sees, ms to success)."""
    started = time.perf_counter()
    answer = server.post("conda-envs/environments", {"content": _yml(manifest, channel, name), "allow": ["channel"]})
    job_id = answer["job"]["id"]
    first: float | None = None
    while True:
        job = server.get(f"conda-envs/jobs/{job_id}")["job"]
        if first is None and ((job["progress"] or 0) > 0 or job["log_size"] > 0):
            first = (time.perf_counter() - started) * 1000
        if job["status"] not in ("queued", "running"):
            if job["status"] != "succeeded":
                raise RuntimeError(f"create failed: {job['error']}")
            return first or 0.0, (time.perf_counter() - started) * 1000
        time.sleep(POLL_S)


def create_rows(manifest: dict[str, Any]) -> list[tuple[str, float, float]]:
    rows: list[tuple[str, float, float]] = []
    channels = ["pkgs/main", "live"] if manifest["paths"].get("live_channel") else ["pkgs/main"]
    for channel in channels:
        rows += _channel_rows(manifest, channel)
    return rows


def _channel_rows(manifest: dict[str, Any], channel: str) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        envs, direct_envs, cache = tmp / "envs", tmp / "direct", tmp / "pkgs"
        envs.mkdir()
        direct_envs.mkdir()
        environ = {**environ_for(manifest["env"]), "CONDA_ENVS_PATH": str(envs)}
        args = ("--CondaEnvs.create_backend=rattler", f"--CondaEnvs.create_pkgs_dir={cache}")
        direct: list[float] = []
        first: list[float] = []
        total: list[float] = []
        with Server(environ, tmp, tmp / "server.log", args) as server:
            _direct(manifest, channel, direct_envs, cache, "warmup")  # fills the package cache for both
            for i in range(REPEAT_CREATE):
                direct.append(_direct(manifest, channel, direct_envs, cache, f"d{i}"))
                seen, done = _through_server(server, manifest, channel, f"s{i}")
                first.append(seen)
                total.append(done)
                for folder in (direct_envs / f"d{i}", envs / f"s{i}"):
                    shutil.rmtree(folder, ignore_errors=True)
        reference = statistics.median(direct)
        return [
            (f"{channel}: rattler backend directly (reference)", reference, 1.0),
            (
                f"{channel}: through the server, to success",
                statistics.median(total),
                statistics.median(total) / reference,
            ),
            (f"{channel}: through the server, first progress", statistics.median(first), 0.0),
        ]


if __name__ == "__main__":
    from fixture_root import load_manifest

    for label, ms, ratio in create_rows(dict(load_manifest(Path(os.environ.get("ROOT", ".fixture-root/test"))))):
        print(f"{label:<48} {ms:>9.1f} {ratio:>8.2f}")

"""Create figures: the built-in py-rattler backend run directly on a file's specs, against the same file through the
server (POST, then polling the job as the UI does), in the same run; and the time from submit to the first progress
the UI can show.

Environments come from the test root's local `pkgs/main` channel (python + ipykernel + pip, as the create dialog's
default "Add ipykernel" asks); the package cache is warm for both after a first, discarded run. Runs alternate.
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

from jupyterlab_conda_envs.create_spec import plan_create
from jupyterlab_conda_envs.rattler_backend import RattlerEvent, create_with_rattler

from .server import Server, environ_for

REPEAT_CREATE = 5
# The UI polls a running job about every 500 ms; here every 20 ms, to measure the server, not the poll interval.
POLL_S = 0.02


def _yml(manifest: dict[str, Any], name: str) -> str:
    main = next(c["dir"] for c in manifest["channels"] if c["name"] == "pkgs/main")
    return f"name: {name}\nchannels:\n  - {Path(main).as_uri()}\ndependencies:\n  - python=3.11.5\n"


def _direct(manifest: dict[str, Any], envs: Path, cache: Path, name: str) -> float:
    plan = plan_create(_yml(manifest, name).encode(), allow=("channel",))
    started = time.perf_counter()

    def ignore(event: RattlerEvent) -> None:
        return None

    asyncio.run(
        create_with_rattler(
            str(envs / name), plan.channels, plan.conda, plan.pip, on_event=ignore, cache_dir=str(cache)
        )
    )
    return (time.perf_counter() - started) * 1000


def _through_server(server: Server, manifest: dict[str, Any], name: str) -> tuple[float, float]:
    """(ms to the first progress or log line a poll sees, ms to success)."""
    started = time.perf_counter()
    answer = server.post("conda-envs/environments", {"content": _yml(manifest, name), "allow": ["channel"]})
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
            _direct(manifest, direct_envs, cache, "warmup")  # fills the package cache for both
            for i in range(REPEAT_CREATE):
                direct.append(_direct(manifest, direct_envs, cache, f"d{i}"))
                seen, done = _through_server(server, manifest, f"s{i}")
                first.append(seen)
                total.append(done)
                for folder in (direct_envs / f"d{i}", envs / f"s{i}"):
                    shutil.rmtree(folder, ignore_errors=True)
        reference = statistics.median(direct)
        return [
            ("rattler backend run directly (reference)", reference, 1.0),
            ("through the server, submit to success", statistics.median(total), statistics.median(total) / reference),
            ("through the server, submit to first progress", statistics.median(first), 0.0),
        ]


if __name__ == "__main__":
    from fixture_root import load_manifest

    for label, ms, ratio in create_rows(dict(load_manifest(Path(os.environ.get("ROOT", ".fixture-root/test"))))):
        print(f"{label:<48} {ms:>9.1f} {ratio:>8.2f}")

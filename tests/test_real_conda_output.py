"""The JSON output parser on REAL conda output (conda 26.7), and the recordings of it in tests/fixtures/conda_cli/
(`real-conda-*.stdout`): each test re-runs conda and checks the recording still has the shape conda writes now.
`CONDA_ENVS_RECORD=1` rewrites the recordings (the world's folder replaced by `/tmp/conda-world`).

Also: the built-in (py-rattler) backend refuses a frozen prefix with conda's words, starting nothing.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_conda_envs.create.cli_output import CliEvent, OutputParser
from jupyterlab_conda_envs.environments.frozen import frozen_error

from .real_conda import conda_world_environ, exit_meant, require_real_conda, run_conda

RECORDED = Path(__file__).parent / "fixtures" / "conda_cli"


def _shape(value: Any) -> Any:
    """Keys and types, not values: paths, hashes and timestamps differ from run to run."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


def _parse(data: bytes) -> list[CliEvent]:
    parser = OutputParser("conda")
    return parser.feed(data) + parser.close()


@pytest.fixture
def world(tmp_path: Path, conda_root: dict[str, Any]) -> dict[str, Any]:
    conda = require_real_conda()
    condarc = tmp_path / "condarc"
    condarc.write_text(
        f"root_prefix: {tmp_path / 'root'}\nenvs_dirs: [{tmp_path / 'envs'}]\npkgs_dirs: [{tmp_path / 'pkgs'}]\n"
        "channels: []\nsolver: rattler\n",
        encoding="utf-8",
    )
    (tmp_path / "home").mkdir()
    environ = conda_world_environ(tmp_path / "home", condarc)
    live = Path(conda_root["paths"]["live_channel"]).as_uri()

    def yml(name: str, *deps: str) -> str:
        path = tmp_path / f"{name}.yml"
        body = f"name: x\nchannels:\n  - {live}\ndependencies:\n" + "".join(f"  - {d}\n" for d in deps)
        path.write_text(body, encoding="utf-8")
        return str(path)

    def run(name: str, args: list[str], code: int) -> bytes:
        done = run_conda(conda, [*args, "--json"], environ, check=False)
        assert exit_meant(done.returncode, done.stdout) == code, done.stdout + done.stderr
        out = done.stdout.encode()
        recording = RECORDED / f"real-conda-{name}.stdout"
        if os.environ.get("CONDA_ENVS_RECORD") == "1":
            recording.write_bytes(out.replace(str(tmp_path).encode(), b"/tmp/conda-world"))
        recorded = recording.read_bytes()
        # The recording has what conda writes now: same documents, same keys, same kinds of events.
        assert _shape(json.loads(recorded)) == _shape(json.loads(out)), name
        assert [e.kind for e in _parse(recorded)] == [e.kind for e in _parse(out)]
        return out

    return {"run": run, "yml": yml, "prefix": str(tmp_path / "envs" / "p")}


def test_create_update_prune_and_errors(world: dict[str, Any]) -> None:
    run, yml, prefix = world["run"], world["yml"], world["prefix"]
    created = _parse(run("env-create", ["env", "create", "--file", yml("a", "python", "asttokens"), "-p", prefix], 0))
    # No progress records through a pipe (conda enables its JSON bars only on a tty): the result alone.
    assert created == [CliEvent("result", fraction=1.0, message=f"Done: {prefix} (3 packages linked)")]
    pruned = run("env-update-prune", ["env", "update", "--file", yml("b", "python"), "-p", prefix, "--prune"], 0)
    assert [e.kind for e in _parse(pruned)] == ["result"]
    assert [u["name"] for u in json.loads(pruned)["actions"]["UNLINK"]] == ["asttokens"]
    assert not list(Path(prefix).glob("conda-meta/asttokens-*.json"))
    nothing = _parse(run("env-update-nothing", ["env", "update", "--file", yml("b", "python"), "-p", prefix], 0))
    assert [e.kind for e in nothing] == ["result"]
    args = ["env", "create", "--file", yml("c", "nosuchpkg"), "-p", prefix + "2"]
    (missing,) = _parse(run("env-create-not-found", args, 1))
    assert missing.kind == "error" and missing.message.startswith("PackagesNotFoundInChannelsError: ")
    # An existing prefix is replaced, exit 0 (conda 25.5+): why the extension refuses one before starting conda.
    over = _parse(run("env-create-over", ["env", "create", "--file", yml("a", "python"), "-p", prefix], 0))
    assert [e.kind for e in over] == ["result"]
    (Path(prefix) / "conda-meta" / "frozen").write_text('{"message": "kept as is"}', encoding="utf-8")
    (frozen,) = _parse(run("env-update-frozen", ["env", "update", "--file", yml("b", "python"), "-p", prefix], 1))
    assert frozen == CliEvent("error", message="EnvironmentIsFrozenError: " + frozen_error(prefix, "kept as is"))


def test_the_builtin_backend_refuses_a_frozen_prefix(tmp_path: Path) -> None:
    from jupyterlab_conda_envs.create.validation import plan_create
    from jupyterlab_conda_envs.create.work import rattler_work
    from jupyterlab_conda_envs.jobs.runner import JobManager

    prefix = tmp_path / "envs" / "ice"
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / "conda-meta" / "frozen").write_text("", encoding="utf-8")
    text = b"name: ice\ndependencies:\n  - python\n"
    plan = plan_create(text, name=None, add_ipykernel=False, allow=[], max_bytes=1 << 20)

    async def main() -> Any:
        jobs = JobManager()
        work = rattler_work(plan, str(prefix), cache_dir=str(tmp_path / "pkgs"), channels=["conda-forge"])
        job = jobs.submit("create", "ice", str(prefix), "rattler", work)
        while job.active:
            await asyncio.sleep(0.01)
        return job

    job = asyncio.run(main())
    assert (job.status, job.error) == ("failed", frozen_error(str(prefix), ""))
    assert sorted(p.name for p in prefix.rglob("*")) == ["conda-meta", "frozen"]  # nothing made, nothing removed

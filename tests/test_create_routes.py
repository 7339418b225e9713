"""`POST environments` and the jobs routes through a real jupyter_server, with the stand-in conda CLI (tests/stand_in,
which reproduces conda's recorded output and can fail, hang, ignore SIGINT or leave a partial prefix).

testing.md cases 3-15 and 23: everything invalid is refused before any process starts (the stand-in logs every
run, so "no process" is checked), an existing environment is 409 and untouched, cancel ends the process group and
removes what the job made, a stopping server ends every job.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from tornado.httpclient import HTTPClientError

from .conftest import alive
from .test_kernelspec_manager import _run_in_kernel

STAND_IN = Path(__file__).parent / "stand_in" / "conda"
YML = "name: fresh\nchannels:\n  - defaults\ndependencies:\n  - python=3.11\n  - numpy\n"


@pytest.fixture
def new_envs(tmp_path: Path, conda_environ: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """New environments go here (CONDA_ENVS_PATH comes first in conda's order), never into the shared fixture."""
    folder = tmp_path / "new_envs"
    folder.mkdir()
    monkeypatch.setenv("CONDA_ENVS_PATH", str(folder))
    monkeypatch.setenv("STAND_IN_CONDA_ARGV_LOG", str(tmp_path / "argv.log"))
    monkeypatch.setenv("STAND_IN_CONDA_MODE", "ok")
    monkeypatch.setenv("STAND_IN_CONDA_DELAY", "0.01")
    return folder


@pytest.fixture
def jp_server_config(new_envs: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}},
        "CondaEnvs": {"conda_executable": str(STAND_IN), "create_backend": "conda"},
    }


def _runs(tmp_path: Path) -> list[dict[str, Any]]:
    log = tmp_path / "argv.log"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _create_runs(tmp_path: Path) -> list[dict[str, Any]]:
    # `--version` runs find the tool; only create/update runs change anything.
    return [r for r in _runs(tmp_path) if "--version" not in r["argv"]]


async def _post(jp_fetch: Any, body: dict[str, Any] | str) -> tuple[int, dict[str, Any]]:
    text = body if isinstance(body, str) else json.dumps(body)
    try:
        response = await jp_fetch("conda-envs", "environments", method="POST", body=text)
    except HTTPClientError as err:
        assert err.response is not None
        return err.code, json.loads(err.response.body or b"{}")
    return response.code, json.loads(response.body)


async def _job(jp_fetch: Any, job_id: str, offset: int = 0) -> dict[str, Any]:
    response = await jp_fetch("conda-envs", "jobs", job_id, params={"offset": str(offset)})
    data: dict[str, Any] = json.loads(response.body)
    return data


async def _finished(jp_fetch: Any, job_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        data = await _job(jp_fetch, job_id)
        if data["job"]["status"] not in ("queued", "running"):
            return data
        assert time.monotonic() < deadline, data
        await asyncio.sleep(0.05)


async def _until_running(jp_fetch: Any, job_id: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + 20
    while not _create_runs(tmp_path) or (await _job(jp_fetch, job_id))["job"]["status"] != "running":
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)


async def test_create_streams_progress_and_the_env_appears(jp_fetch: Any, new_envs: Path, tmp_path: Path) -> None:
    """Progress comes only from a terminal, as real conda writes it (conda/common/terminal.py `is_tty`): the runner
    gives conda a pseudo-terminal for its stdout, and the stand-in, like conda, writes records only there."""
    code, body = await _post(jp_fetch, {"content": YML})
    assert code == 202, body
    assert body["plan"]["conda"] == ["python=3.11", "numpy", "ipykernel"]
    assert body["target"]["prefix"] == str(new_envs / "fresh")
    data = await _finished(jp_fetch, body["job"]["id"])
    job = data["job"]
    assert job["status"] == "succeeded", data["log"]
    assert job["progress"] == 1.0
    assert job["environment_id"]
    (run,) = _create_runs(tmp_path)
    # The stand-in saw a terminal; the log shows each phase and each package once, then conda's result.
    assert run["tty"] is True
    assert "[download]" in data["log"]
    assert any(line.startswith("numpy") for line in data["log"]), data["log"]
    assert data["log"][-1] == f"Done: {new_envs / 'fresh'} (3 packages linked)"
    # The tool got an argument list with a file the server named, the prefix it chose, and no --yes.
    argv = run["argv"]
    assert argv[1:3] == ["env", "create"]
    assert argv[argv.index("--prefix") + 1] == str(new_envs / "fresh")
    assert os.path.basename(argv[argv.index("--file") + 1]) == "environment.yml"
    assert "--yes" not in argv and "-y" not in argv
    assert not os.path.exists(argv[argv.index("--file") + 1])  # the private temp file is gone
    listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
    assert any(e["name"] == "fresh" and e["id"] == job["environment_id"] for e in listing["environments"])
    # Log offsets: asking from the end gives nothing new.
    again = await _job(jp_fetch, job["id"], data["offset"])
    assert again["log"] == [] and again["offset"] == data["offset"]


async def test_a_dry_run_starts_nothing(jp_fetch: Any, new_envs: Path, tmp_path: Path) -> None:
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "name": "other", "add_ipykernel": False})
    assert code == 200
    assert body["plan"]["name"] == "other"
    assert body["plan"]["conda"] == ["python=3.11", "numpy"]
    assert body["target"]["prefix"] == str(new_envs / "other")
    assert _create_runs(tmp_path) == []
    assert not (new_envs / "other").exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"content": YML, "name": "-h"}, 400),
        ({"content": YML, "name": "--prefix=/tmp/x"}, 400),
        ({"content": YML, "name": ".."}, 400),
        ({"content": YML, "name": "a/b"}, 400),
        ({"content": YML, "name": "a b"}, 400),
        ({"content": YML, "name": "base"}, 400),
        ({"content": YML, "name": "x" * 300}, 400),
        ({"content": "a: &a [1]\nb: *a\n"}, 400),
        ({"content": "name: x\ndependencies: !!python/object/apply:os.system ['true']\n"}, 400),
        ({"content": "- not\n- a mapping\n"}, 400),
        ({"content": "name: x\ndependencies: numpy\n"}, 400),
        ({"content": "name: x\ndependencies:\n  - pip:\n    - --index-url https://evil.example/simple\n"}, 400),
        ({"content": "name: x\n" + "#" * (3 * 1024 * 1024)}, 413),
        ({"content": YML, "path": "x.yml"}, 400),
        ({}, 400),
        ({"path": "../../etc/passwd"}, 400),
        ({"content": YML, "allow": "everything"}, 400),
        ({"content": YML, "backend": "sh"}, 400),
        ({"content": YML, "prune": True}, 400),
        ('["not an object"]', 400),
    ],
)
async def test_bad_requests_start_no_process(
    jp_fetch: Any, new_envs: Path, tmp_path: Path, body: dict[str, Any] | str, code: int
) -> None:
    status, answer = await _post(jp_fetch, body)
    assert status == code, answer
    assert _create_runs(tmp_path) == []
    assert list(new_envs.iterdir()) == []


async def test_risky_pip_lines_need_an_explicit_opt_in(jp_fetch: Any, new_envs: Path) -> None:
    yml = YML + "  - pip:\n    - -e git+https://tok3n@github.com/org/repo#egg=repo\n"
    code, body = await _post(jp_fetch, {"content": yml, "dry_run": True})
    assert code == 400
    assert body["needs"] == ["pip-editable"]
    code, body = await _post(jp_fetch, {"content": yml, "dry_run": True, "allow": ["pip-editable"]})
    assert code == 200
    assert "tok3n" not in json.dumps(body)  # shown masked, installed as written


async def test_an_existing_environment_is_409_and_untouched(
    jp_fetch: Any, conda_root: dict[str, Any], tmp_path: Path
) -> None:
    shadow = next(e for e in conda_root["envs"] if e["name"] == "pip_shadow")
    history = Path(shadow["prefix"]) / "conda-meta" / "history"
    before = history.read_bytes()
    code, body = await _post(jp_fetch, {"content": YML, "name": "pip_shadow"})
    assert code == 409
    assert "not changed" in body["message"]
    assert history.read_bytes() == before
    assert _create_runs(tmp_path) == []


async def test_two_creates_of_one_name_at_once(jp_fetch: Any, new_envs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAND_IN_CONDA_DELAY", "0.2")
    results = await asyncio.gather(_post(jp_fetch, {"content": YML}), _post(jp_fetch, {"content": YML}))
    assert sorted(code for code, _ in results) == [202, 409]
    job_id = next(body["job"]["id"] for code, body in results if code == 202)
    assert (await _finished(jp_fetch, job_id))["job"]["status"] == "succeeded"


@pytest.mark.parametrize(("mode", "message"), [("fail", "PackagesNotFound"), ("nonjson", "without reporting")])
async def test_a_failing_tool_fails_the_job_and_leaves_nothing(
    jp_fetch: Any, new_envs: Path, monkeypatch: pytest.MonkeyPatch, mode: str, message: str
) -> None:
    monkeypatch.setenv("STAND_IN_CONDA_MODE", mode)
    code, body = await _post(jp_fetch, {"content": YML})
    assert code == 202
    job = (await _finished(jp_fetch, body["job"]["id"]))["job"]
    assert job["status"] == "failed"
    assert message.lower() in job["error"].lower(), job["error"]
    assert not (new_envs / "fresh").exists()


@pytest.mark.parametrize("mode", ["ignore-sigint", "partial"])
async def test_cancel_ends_the_process_group_and_removes_the_new_prefix(
    jp_fetch: Any, new_envs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    from jupyterlab_conda_envs.core import process

    monkeypatch.setattr(process, "SIGINT_WAIT_S", 0.5)
    monkeypatch.setattr(process, "SIGTERM_WAIT_S", 0.5)
    monkeypatch.setenv("STAND_IN_CONDA_MODE", mode)
    code, body = await _post(jp_fetch, {"content": YML})
    assert code == 202
    job_id = body["job"]["id"]
    await _until_running(jp_fetch, job_id, tmp_path)
    if mode == "partial":
        deadline = time.monotonic() + 10
        while not (new_envs / "fresh").exists():
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
    response = await jp_fetch("conda-envs", "jobs", job_id, method="DELETE")
    assert json.loads(response.body)["job"]["status"] == "cancelled"
    pid = _create_runs(tmp_path)[0]["pid"]
    assert not alive(pid)
    assert not (new_envs / "fresh").exists()


async def test_update_needs_the_env_to_exist_and_prunes_only_when_asked(
    jp_fetch: Any, new_envs: Path, tmp_path: Path
) -> None:
    code, body = await _post(jp_fetch, {"content": YML, "update": True, "prune": True})
    assert code == 404  # nothing named `fresh` yet: an update never creates
    code, body = await _post(jp_fetch, {"content": YML})
    assert (await _finished(jp_fetch, body["job"]["id"]))["job"]["status"] == "succeeded"
    history = (new_envs / "fresh" / "conda-meta" / "history").read_bytes()
    code, body = await _post(jp_fetch, {"content": YML, "update": True, "prune": True})
    assert code == 202, body
    job = (await _finished(jp_fetch, body["job"]["id"]))["job"]
    assert (job["kind"], job["status"]) == ("update", "succeeded")
    argv = _create_runs(tmp_path)[-1]["argv"]
    assert argv[1:3] == ["env", "update"] and "--prune" in argv
    assert argv[argv.index("--prefix") + 1] == str(new_envs / "fresh")
    assert (new_envs / "fresh" / "conda-meta" / "history").read_bytes().startswith(history)


async def test_the_servers_own_environment_is_never_updated(
    jp_fetch: Any, jp_serverapp: Any, new_envs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, body = await _post(jp_fetch, {"content": YML})
    assert (await _finished(jp_fetch, body["job"]["id"]))["job"]["status"] == "succeeded"
    service = jp_serverapp.web_app.settings["conda_envs_service"]
    original = service._options

    def as_if_the_server_ran_there() -> Any:
        options = original()
        options.server_prefix = str(new_envs / "fresh")
        return options

    monkeypatch.setattr(service, "_options", as_if_the_server_ran_there)
    code, body = await _post(jp_fetch, {"content": YML, "update": True, "prune": True})
    assert code == 409
    assert "this server runs in" in body["message"]


async def test_a_file_changed_since_it_was_checked_is_refused(jp_fetch: Any, jp_root_dir: Path, tmp_path: Path) -> None:
    (jp_root_dir / "environment.yml").write_text(YML, encoding="utf-8")
    code, checked = await _post(jp_fetch, {"path": "environment.yml", "dry_run": True})
    assert code == 200 and checked["sha256"].startswith("sha256:")
    (jp_root_dir / "environment.yml").write_text(YML + "  - scipy\n", encoding="utf-8")
    code, body = await _post(jp_fetch, {"path": "environment.yml", "expect_sha256": checked["sha256"]})
    assert (code, body["reason"]) == (409, "changed")
    assert _create_runs(tmp_path) == []


async def test_the_configured_backend_is_not_overridden_by_a_client(jp_fetch: Any) -> None:
    # The server is configured for `conda`: asking for rattler changes nothing.
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "rattler"})
    assert code == 200
    assert body["backend"].startswith("conda")


def test_a_missing_envs_folder_is_made_under_the_nearest_writable_one(tmp_path: Path) -> None:
    from jupyterlab_conda_envs.create.work import NoTarget, target_prefix

    home = tmp_path / "home"
    home.mkdir()
    assert target_prefix([str(home / ".conda" / "envs")], "x") == str(home / ".conda" / "envs" / "x")
    (tmp_path / "file").write_text("")
    with pytest.raises(NoTarget):
        target_prefix([str(tmp_path / "file" / "envs")], "x")


async def test_another_server_changing_the_prefix_is_left_alone(jp_fetch: Any, new_envs: Path, tmp_path: Path) -> None:
    """Two servers on one home: the one that holds the prefix's lock goes on, the other fails without a process
    and without removing what the first is creating."""
    import fcntl

    fd = os.open(new_envs / ".fresh.conda-envs.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)  # the other server
    try:
        code, body = await _post(jp_fetch, {"content": YML})
        assert code == 202
        (new_envs / "fresh" / "conda-meta").mkdir(parents=True)  # what the other server is writing
        job = (await _finished(jp_fetch, body["job"]["id"]))["job"]
    finally:
        os.close(fd)
    assert job["status"] == "failed"
    assert "another Jupyter server" in job["error"]
    assert _create_runs(tmp_path) == []
    assert (new_envs / "fresh" / "conda-meta").is_dir()
    # Listing skips the lock file.
    listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
    assert not any(".lock" in e["prefix"] for e in listing["environments"])


async def test_no_conda_at_all_is_503_and_listing_still_works(
    jp_fetch: Any, jp_serverapp: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    jp_serverapp.web_app.settings["conda_envs_create_config"].conda_executable = str(tmp_path / "no-such-conda")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CONDA_EXE", raising=False)
    monkeypatch.delenv("MAMBA_EXE", raising=False)
    code, body = await _post(jp_fetch, {"content": YML})
    assert code == 503
    assert "not found" in body["message"]
    response = await jp_fetch("conda-envs", "environments")
    assert response.code == 200


async def test_a_stopping_server_ends_every_job(
    jp_fetch: Any, jp_serverapp: Any, new_envs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyterlab_conda_envs.core import process

    monkeypatch.setattr(process, "SIGINT_WAIT_S", 0.5)
    monkeypatch.setattr(process, "SIGTERM_WAIT_S", 0.5)
    monkeypatch.setenv("STAND_IN_CONDA_MODE", "hang")
    code, body = await _post(jp_fetch, {"content": YML})
    assert code == 202
    await _until_running(jp_fetch, body["job"]["id"], tmp_path)
    await jp_serverapp.cleanup_extensions()
    manager = jp_serverapp.web_app.settings["conda_envs_jobs"]
    assert manager.get(body["job"]["id"]).status == "cancelled"
    assert not alive(_create_runs(tmp_path)[0]["pid"])
    assert not (new_envs / "fresh").exists()


async def test_a_workspace_file_and_the_jobs_listing(jp_fetch: Any, jp_root_dir: Path, new_envs: Path) -> None:
    (jp_root_dir / "proj").mkdir()
    (jp_root_dir / "proj" / "environment.yml").write_text(YML, encoding="utf-8")
    code, body = await _post(jp_fetch, {"path": "proj/environment.yml"})
    assert code == 202
    await _finished(jp_fetch, body["job"]["id"])
    listed = json.loads((await jp_fetch("conda-envs", "jobs")).body)["jobs"]
    assert [j["id"] for j in listed] == [body["job"]["id"]]
    for method in ("GET", "DELETE"):
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("conda-envs", "jobs", "nope", method=method)
        assert err.value.code == 404


class TestRattlerBackend:
    """The built-in backend end to end: a real environment from the fixture's local channel, through the route."""

    @pytest.fixture
    def jp_server_config(self, new_envs: Path, tmp_path: Path) -> dict[str, Any]:
        return {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}},
            "CondaEnvs": {"create_backend": "rattler", "create_pkgs_dir": str(tmp_path / "pkgs")},
        }

    @staticmethod
    def _yml(conda_root: dict[str, Any]) -> str:
        main = next(c["dir"] for c in conda_root["channels"] if c["name"] == "pkgs/main")
        return f"name: made\nchannels:\n  - {Path(main).as_uri()}\ndependencies:\n  - python=3.11.5\n"

    async def test_create_from_the_local_channel(
        self, jp_fetch: Any, conda_root: dict[str, Any], new_envs: Path
    ) -> None:
        yml = self._yml(conda_root)
        code, body = await _post(jp_fetch, {"content": yml})
        assert code == 400 and body["needs"] == ["channel"]  # a file:// channel is not a default one
        code, body = await _post(jp_fetch, {"content": yml, "allow": ["channel"]})
        assert code == 202, body
        assert body["backend"] == "rattler"
        data = await _finished(jp_fetch, body["job"]["id"], timeout=120)
        assert data["job"]["status"] == "succeeded", data["log"]
        listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
        made = next(e for e in listing["environments"] if e["name"] == "made")
        assert made["prefix"] == str(new_envs / "made")
        assert made["has_ipykernel"] is True
        # Its kernel is there at once, from the extension's kernelspec manager.
        assert [k["name"] for k in made["kernels"]] == ["conda-env-made-py"]
        packages = json.loads((await jp_fetch("conda-envs", "environments", made["id"], "packages")).body)
        names = {p["name"]: p["version"] for p in packages["packages"]}
        assert names["python"] == "3.11.5"
        assert "ipykernel" in names and "pip" in names

    async def test_cancel_mid_install_leaves_no_prefix(
        self, jp_fetch: Any, conda_root: dict[str, Any], new_envs: Path
    ) -> None:
        code, body = await _post(jp_fetch, {"content": self._yml(conda_root), "allow": ["channel"]})
        assert code == 202
        job_id = body["job"]["id"]
        deadline = time.monotonic() + 60
        while (await _job(jp_fetch, job_id))["job"]["status"] == "queued":
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)
        response = await jp_fetch("conda-envs", "jobs", job_id, method="DELETE")
        assert json.loads(response.body)["job"]["status"] == "cancelled"
        await asyncio.sleep(0.5)  # nothing may appear afterwards either
        assert not (new_envs / "made").exists()

    async def test_a_file_without_channels_uses_the_configured_ones(
        self,
        jp_fetch: Any,
        conda_root: dict[str, Any],
        new_envs: Path,
        conda_environ: Path,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """As conda does: no `channels:` in the file means the condarc's channels (here, the local channel)."""
        main = next(c["dir"] for c in conda_root["channels"] if c["name"] == "pkgs/main")
        home_condarc = conda_environ / ".condarc"
        settings = yaml.safe_load(home_condarc.read_text(encoding="utf-8"))
        settings["channels"] = [Path(main).as_uri()]
        # Both files conda reads here ($CONDARC is the fixture's own): only the local channel is configured.
        home_condarc.write_text(yaml.safe_dump(settings), encoding="utf-8")
        (tmp_path / "condarc").write_text(yaml.safe_dump(settings), encoding="utf-8")
        monkeypatch.setenv("CONDARC", str(tmp_path / "condarc"))
        code, body = await _post(jp_fetch, {"content": "name: plain\ndependencies:\n  - python=3.11.5\n"})
        assert code == 202, body
        data = await _finished(jp_fetch, body["job"]["id"], timeout=120)
        assert data["job"]["status"] == "succeeded", data["log"]
        assert (new_envs / "plain" / "conda-meta").is_dir()

    @staticmethod
    def _live_yml(conda_root: dict[str, Any], pip: tuple[str, ...] = ()) -> str:
        live = conda_root["paths"]["live_channel"]
        assert live, "the test catalogue builds the live channel"
        lines = ["name: live_env", "channels:", f"  - {Path(live).as_uri()}", "dependencies:", "  - python"]
        if pip:
            lines += ["  - pip:", *(f"    - {line}" for line in pip)]
        return "\n".join(lines) + "\n"

    @staticmethod
    def _run_python(prefix: Path, code: str) -> str:
        # pytest-jupyter exports this process's sys.path as PYTHONPATH, which would import the server's packages.
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        out = subprocess.run(
            [str(prefix / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True, env=env
        )
        return out.stdout.strip()

    async def test_an_environment_from_the_live_channel_runs_its_kernel(
        self,
        jp_fetch: Any,
        jp_serverapp: Any,
        conda_root: dict[str, Any],
        new_envs: Path,
    ) -> None:
        """Create from a yml, then the notebook's view: the new env's kernel runs code in the new env."""
        code, body = await _post(jp_fetch, {"content": self._live_yml(conda_root), "allow": ["channel"]})
        assert code == 202, body
        assert body["plan"]["conda"] == ["python", "ipykernel"]  # the server adds ipykernel by default
        data = await _finished(jp_fetch, body["job"]["id"], timeout=180)
        assert data["job"]["status"] == "succeeded", data["log"]
        prefix = new_envs / "live_env"
        # (a) The interpreter the environment got is a real one, and its own.
        assert self._run_python(prefix, "import sys; print(sys.prefix)") == str(prefix)
        # rattler tags every prefix it installs as a cache (CACHEDIR.TAG, which backup tools skip); conda does not.
        assert not (prefix / "CACHEDIR.TAG").exists()
        # (b) The listing has it, with its kernel.
        listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
        made = next(e for e in listing["environments"] if e["name"] == "live_env")
        assert made["prefix"] == str(prefix) and made["has_ipykernel"] is True
        assert [k["name"] for k in made["kernels"]] == ["conda-env-live_env-py"]
        packages = json.loads((await jp_fetch("conda-envs", "environments", made["id"], "packages")).body)
        sources = {p["name"]: (p["version"], p["source"]) for p in packages["packages"]}
        assert sources["python"] == (platform.python_version(), "conda")
        assert sources["ipykernel"][1] == "conda"  # the channel's dist-info says INSTALLER conda, not pip
        # (c) A kernel of that name, started by the server as a notebook would, runs in the new environment, on the
        # new environment's ipykernel.
        probe = "import json, sys, ipykernel; print(json.dumps([sys.prefix, ipykernel.__file__]))"
        kernel_prefix, ipykernel_file = json.loads(await _run_in_kernel(jp_serverapp, "conda-env-live_env-py", probe))
        assert kernel_prefix == str(prefix)
        assert Path(ipykernel_file).is_relative_to(prefix / "lib")

    async def test_pip_lines_install_into_the_new_environment(
        self, jp_fetch: Any, conda_root: dict[str, Any], new_envs: Path
    ) -> None:
        """The rattler backend's pip step runs the new environment's own pip (from the live channel), offline."""
        wheels = conda_root["paths"]["wheels"]
        yml = self._live_yml(conda_root, ("--no-index", f"--find-links {wheels}", "mdurl==0.1.2"))
        code, body = await _post(jp_fetch, {"content": yml, "allow": ["channel"]})
        assert code == 400 and body["needs"] == ["pip-index", "pip-option"]
        code, body = await _post(jp_fetch, {"content": yml, "allow": ["channel", "pip-index", "pip-option"]})
        assert code == 202, body
        data = await _finished(jp_fetch, body["job"]["id"], timeout=180)
        assert data["job"]["status"] == "succeeded", data["log"]
        prefix = new_envs / "live_env"
        xy = ".".join(platform.python_version().split(".")[:2])
        info = prefix / "lib" / f"python{xy}" / "site-packages" / "mdurl-0.1.2.dist-info"
        assert (info / "INSTALLER").read_text(encoding="utf-8") == "pip\n"
        assert Path(self._run_python(prefix, "import mdurl; print(mdurl.__file__)")).is_relative_to(prefix)
        listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
        made = next(e for e in listing["environments"] if e["name"] == "live_env")
        packages = json.loads((await jp_fetch("conda-envs", "environments", made["id"], "packages")).body)
        assert ("mdurl", "0.1.2", "pypi") in {(p["name"], p["version"], p["source"]) for p in packages["packages"]}

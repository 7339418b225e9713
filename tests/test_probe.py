"""'Check in environment': the environment's own interpreter, bounded, authorized as code execution."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth.authorizer import Authorizer
from tornado.httpclient import HTTPClientError

from jupyterlab_conda_envs.gpu.probe import probe_command, run_probe
from jupyterlab_conda_envs.kernels.env_kernelspecs import EnvForKernels

from .conftest import env_named

SERVER = {"jpserver_extensions": {"jupyterlab_conda_envs": True}, "allow_unauthenticated_access": False}


async def _env_id(jp_fetch: Any, prefix: str) -> str:
    listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
    return str(next(e["id"] for e in listing["environments"] if e["prefix"] == os.path.realpath(prefix)))


async def _probe(jp_fetch: Any, env_id: str) -> dict[str, Any]:
    response = await jp_fetch("conda-envs", "environments", env_id, "probe", method="POST", body="{}")
    data: dict[str, Any] = json.loads(response.body)
    return data


async def test_probe_runs_the_environments_own_python(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    runnable = env_named(conda_root, "runnable")
    data = await _probe(jp_fetch, await _env_id(jp_fetch, runnable["prefix"]))
    assert data["status"] == "ok", data
    result = data["result"]
    assert result["python"] == platform.python_version()
    assert os.path.realpath(os.path.dirname(os.path.dirname(result["executable"]))) == os.path.realpath(
        runnable["prefix"]
    )
    # No framework in that environment: none reported, none imported.
    assert result["frameworks"] == {}


def _env(prefix: Path | str) -> EnvForKernels:
    return EnvForKernels(
        prefix=str(prefix), env_name="probe", conda_default_env=str(prefix), has_ipykernel=False, is_base=False
    )


def _venv(prefix: Path) -> Path:
    """A real interpreter at `prefix` (as the fixture's runnable env is), marked as a conda prefix."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True)
    (prefix / "conda-meta").mkdir()
    (prefix / "conda-meta" / "history").write_text("")
    site = next(prefix.glob("lib/python*/site-packages"))
    return site


def _plant(site: Path, name: str, code: str) -> None:
    (site / name).mkdir()
    (site / name / "__init__.py").write_text(code)


def test_a_hanging_import_is_killed_at_the_deadline(tmp_path: Path) -> None:
    site = _venv(tmp_path / "hangs")
    _plant(site, "torch", "import time\ntime.sleep(600)\n")
    started = time.monotonic()
    answer = run_probe(_env(tmp_path / "hangs"), 2.0)
    assert time.monotonic() - started < 10
    assert answer["status"] == "timeout"
    assert "no answer within 2 s" in answer["message"]


def test_what_a_hung_probe_started_dies_with_it(tmp_path: Path) -> None:
    site = _venv(tmp_path / "spawns")
    pid_file = tmp_path / "child.pid"
    # An import that starts a helper process of its own, then hangs: the helper must not outlive the deadline.
    _plant(
        site,
        "torch",
        "import subprocess, time\n"
        f"child = subprocess.Popen(['sleep', '600'])\nopen({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(600)\n",
    )
    answer = run_probe(_env(tmp_path / "spawns"), 3.0)
    assert answer["status"] == "timeout"
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        # A killed child stays a zombie until reaped by init; /proc says which.
        if Path(f"/proc/{child}/status").read_text().find("State:\tZ") >= 0:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the helper process outlived the probe")


def test_output_is_bounded(tmp_path: Path) -> None:
    site = _venv(tmp_path / "chatty")
    _plant(site, "torch", "import sys\nsys.stderr.write('x' * 20_000_000)\n__version__ = '0'\n")
    answer = run_probe(_env(tmp_path / "chatty"), 60.0)
    assert answer["status"] == "ok"
    assert len(answer["stderr"]) <= 2000


def test_an_interpreter_that_cannot_start(tmp_path: Path) -> None:
    prefix = tmp_path / "bad"
    (prefix / "bin").mkdir(parents=True)
    python = prefix / "bin" / "python"
    python.write_text("#!/nonexistent/interpreter\n")
    python.chmod(0o755)
    answer = run_probe(_env(prefix), 10.0)
    assert answer["status"] == "failed" and "cannot start" in answer["stderr"]


def test_the_probe_is_activated_like_the_kernel(conda_root: dict[str, Any]) -> None:
    gpu_vars = env_named(conda_root, "gpu_vars")
    argv, environ = probe_command(_env(os.path.realpath(gpu_vars["prefix"])))
    assert os.path.basename(argv[0]) in ("bash", "sh") and "-I" in argv
    assert environ["CONDA_PREFIX"] == os.path.realpath(gpu_vars["prefix"])
    answer = run_probe(_env(os.path.realpath(gpu_vars["prefix"])), 30.0)
    assert answer["status"] == "ok", answer
    # XLA_FLAGS comes from the activate.d script the env's cuda-env-hooks package installed.
    assert answer["result"]["variables"]["XLA_FLAGS"] == gpu_vars["activate_exports"]["XLA_FLAGS"]
    assert answer["result"]["variables"]["CONDA_PREFIX"] == os.path.realpath(gpu_vars["prefix"])


def test_a_broken_framework_does_not_hide_the_others(tmp_path: Path) -> None:
    site = _venv(tmp_path / "broken")
    # Stand-ins for what cannot be installed with a GPU build here: torch's own API names, reporting a CUDA build
    # on a machine without a driver; and a tensorflow that fails to import.
    _plant(
        site,
        "torch",
        "__version__ = '2.1.0+cu118'\n"
        "class version:\n    cuda = '11.8'\n"
        "class cuda:\n    @staticmethod\n    def is_available():\n        return False\n"
        "    @staticmethod\n    def device_count():\n        return 0\n",
    )
    _plant(site, "tensorflow", "raise ImportError('libcudart.so.12: cannot open shared object file')\n")
    answer = run_probe(_env(tmp_path / "broken"), 30.0)
    assert answer["status"] == "ok", answer
    frameworks = answer["result"]["frameworks"]
    assert frameworks["torch"] == {"version": "2.1.0+cu118", "cuda": "11.8", "available": False, "device_count": 0}
    assert frameworks["tensorflow"]["error"].startswith("ImportError: libcudart.so.12")


def test_pythonpath_does_not_reach_the_probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _venv(tmp_path / "clean")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _plant(elsewhere, "torch", "raise SystemExit('imported from PYTHONPATH')\n")
    monkeypatch.setenv("PYTHONPATH", str(elsewhere))
    answer = run_probe(_env(tmp_path / "clean"), 30.0)
    assert answer["status"] == "ok" and answer["result"]["frameworks"] == {}


class TestProbeRoute:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any) -> dict[str, Any]:
        return {"ServerApp": SERVER, "CondaEnvs": {"probe_timeout": 20.0}}

    async def test_no_interpreter_is_409(
        self, jp_fetch: Any, conda_root: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        envs_dir = tmp_path / "extra"
        envs_dir.mkdir()
        monkeypatch.setenv("CONDA_ENVS_PATH", str(envs_dir))
        prefix = envs_dir / "no_python"
        shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], prefix, symlinks=True)
        (prefix / "bin" / "python").unlink()
        with pytest.raises(HTTPClientError) as err:
            await _probe(jp_fetch, await _env_id(jp_fetch, str(prefix)))
        assert err.value.code == 409

    async def test_unknown_environment_is_404(self, jp_fetch: Any) -> None:
        with pytest.raises(HTTPClientError) as err:
            await _probe(jp_fetch, "AAAAAAAAAAAAAAAA")
        assert err.value.code == 404


class DenyCodeExecution(Authorizer):
    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return not (resource == "kernels" and action == "execute")


class AsyncDenyCodeExecution(Authorizer):
    """jupyter_server allows authorizers to answer asynchronously; a coroutine object must not count as yes."""

    async def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:  # type: ignore[override]
        return not (resource == "kernels" and action == "execute")


@pytest.mark.parametrize("authorizer", [DenyCodeExecution, AsyncDenyCodeExecution])
class TestProbeNeedsCodeExecution:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any, authorizer: type[Authorizer]) -> dict[str, Any]:
        return {"ServerApp": {**SERVER, "authorizer_class": authorizer}}

    async def test_403_without_kernel_execution(self, jp_fetch: Any, conda_root: dict[str, Any]) -> None:
        env_id = await _env_id(jp_fetch, env_named(conda_root, "runnable")["prefix"])
        with pytest.raises(HTTPClientError) as err:
            await _probe(jp_fetch, env_id)
        assert err.value.code == 403

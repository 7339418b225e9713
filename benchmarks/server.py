"""A real `jupyter server` subprocess with the extension, for benchmarks: start, wait, GET with the token, stop."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    def __init__(self, environ: dict[str, str], root_dir: Path, log: Path, extra_args: tuple[str, ...] = ()) -> None:
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self._log = log.open("w", encoding="utf-8")
        self._proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "server",
                "--no-browser",
                "--allow-root",
                f"--ServerApp.port={self.port}",
                "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root_dir}",
                "--ServerApp.jpserver_extensions={'jupyterlab_conda_envs': True}",
                *extra_args,
            ],
            env=environ,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"jupyter server exited with {self._proc.returncode}; see {self._log.name}")
            try:
                self.get("api/status")
                return self
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("jupyter server did not start within 60 s")

    def __exit__(self, *exc: object) -> None:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self._log.close()

    def get(self, path: str) -> Any:
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode("utf-8"),
            method="POST",
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def get_text(self, path: str) -> str:
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            text: str = response.read().decode("utf-8")
            return text

    def timed_get(self, path: str) -> tuple[float, Any]:
        started = time.perf_counter()
        data = self.get(path)
        return (time.perf_counter() - started) * 1000, data


def environ_for(manifest_env: dict[str, str | None]) -> dict[str, str]:
    environ = dict(os.environ)
    for key, value in manifest_env.items():
        if value:
            environ[key] = value
        else:
            environ.pop(key, None)
    return environ

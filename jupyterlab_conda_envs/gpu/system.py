"""`GET /conda-envs/system`: this machine's platform, NVIDIA driver and GPUs, CONDA_OVERRIDE_CUDA and conda tools.

Facts only, cached for a short while: detection may start `nvidia-smi` (bounded), so it runs in a worker thread and
at most once per cache period, however many panels ask.
"""

from __future__ import annotations

import os
import platform
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from .facts import DetectionSources, GpuFacts, detect, load_simulated

_TOOLS = ("conda", "mamba", "micromamba")


def conda_subdir(system: str, machine: str) -> str:
    """conda's platform name for this machine (`linux-64`, `osx-arm64`, `win-64`, ...)."""
    arch = {"x86_64": "64", "amd64": "64", "aarch64": "aarch64", "arm64": "arm64", "ppc64le": "ppc64le"}.get(
        machine.lower(), machine.lower()
    )
    prefix = {"linux": "linux", "darwin": "osx", "windows": "win"}.get(system.lower(), system.lower())
    if prefix == "osx" and arch == "aarch64":
        arch = "arm64"
    return f"{prefix}-{arch}"


def conda_tools(environ: Mapping[str, str]) -> list[dict[str, str]]:
    """conda / mamba / micromamba executables: those the environment names, then those on PATH."""
    found: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(name: str, path: str, source: str) -> None:
        real = os.path.realpath(path)
        if real not in seen and os.path.isfile(path) and os.access(path, os.X_OK):
            seen.add(real)
            found.append({"name": name, "path": path, "source": source})

    if environ.get("CONDA_EXE"):
        add("conda", environ["CONDA_EXE"], "CONDA_EXE")
    if environ.get("MAMBA_EXE"):
        exe = environ["MAMBA_EXE"]
        add("micromamba" if os.path.basename(exe).startswith("micromamba") else "mamba", exe, "MAMBA_EXE")
    for name in _TOOLS:
        path = shutil.which(name, path=environ.get("PATH"))
        if path:
            add(name, path, "PATH")
    return found


def _override(environ: Mapping[str, str]) -> str | None:
    # conda: an empty or blank override means "export no __cuda", which is an override too.
    value = environ.get("CONDA_OVERRIDE_CUDA")
    return None if value is None else value.strip()


class SystemFacts:
    def __init__(
        self,
        environ: Callable[[], Mapping[str, str]],
        simulated_file: Callable[[], str],
        sources: Callable[[], DetectionSources],
        cache_seconds: float = 30.0,
    ) -> None:
        self._environ = environ
        self._simulated_file = simulated_file
        self._sources = sources
        self._cache_seconds = cache_seconds
        self._lock = threading.Lock()
        self._cached: tuple[float, GpuFacts] | None = None

    def gpu(self) -> GpuFacts:
        # One detection at a time; callers during it wait for its answer instead of starting another nvidia-smi.
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self._cache_seconds:
                return self._cached[1]
            path = self._simulated_file()
            if path:
                try:
                    facts = load_simulated(path)
                except (OSError, ValueError) as err:
                    facts = GpuFacts(reason=f"cannot read the simulated GPU facts {path!r}: {err}", simulated=True)
            else:
                facts = detect(self._sources())
            self._cached = (now, facts)
            return facts

    def as_json(self) -> dict[str, Any]:
        environ = self._environ()
        system, machine = platform.system(), platform.machine()
        return {
            "platform": {"system": system, "machine": machine, "conda_subdir": conda_subdir(system, machine)},
            "gpu": asdict(self.gpu()),
            "conda_override_cuda": _override(environ),
            "tools": conda_tools(environ),
        }


def system_facts(config: Any) -> SystemFacts:
    """The facts object the server keeps, with detection settings read from `c.CondaEnvs` when asked."""
    return SystemFacts(
        environ=lambda: dict(os.environ),
        simulated_file=lambda: str(config.gpu_facts_file),
        sources=lambda: DetectionSources(path=os.environ.get("PATH"), nvidia_smi_timeout=config.nvidia_smi_timeout),
        cache_seconds=config.system_cache_seconds,
    )

"""The child process of the rattler backend: read the request on stdin, solve, install, report on stdout.

`rattler_backend` starts it as a fresh interpreter (`python -c "... from jupyterlab_conda_envs.rattler_child import
child_main; child_main()"`), so that cancelling can end it and the solver's memory stays out of the server; see
that module for why. It keeps its imports light: the standard library, this package's channel names and output
limits, and `rattler` only inside the functions that run here.

The child talks JSON lines on stdout: `event` (progress/log, fractions of its own work in [0, 1]), one `record` per
solved package, then `done`, or `error` with a message for the user.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn, cast

from .channels import history_channel
from .events import MAX_MESSAGE, TAIL_LINES

if TYPE_CHECKING:
    import rattler


def child_main() -> NoReturn:
    """The child process: read the request on stdin, solve, install, report on stdout; exits 0 or 1."""
    # Cancelling ends this process at once: the parent removes the prefix, nothing here needs cleaning up.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    out = _Lines(sys.stdout)
    sys.stdout = sys.stderr  # anything printed by accident must not break the protocol
    try:
        request = json.loads(sys.stdin.read())
        asyncio.run(_child_run(request, out))
    except Exception as exc:
        out.send({"t": "error", "message": _error_message(exc)})
        code = 1
    else:
        out.send({"t": "done"})
        code = 0
    sys.stderr.flush()
    # No interpreter teardown: with py-rattler 0.28 it crashes now and then (SIGSEGV in about 1 run of 15, after
    # the work is done), and there is nothing left to clean up.
    os._exit(code)


class _Lines:
    """JSON lines on a stream, written whole from any thread (rattler calls its reporter from its own threads)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, msg: Mapping[str, Any]) -> None:
        line = json.dumps(msg, separators=(",", ":")) + "\n"
        with self._lock:
            self._stream.write(line)
            self._stream.flush()

    def event(self, kind: str, fraction: float | None, phase: str | None, message: str = "") -> None:
        self.send({"t": "event", "kind": kind, "fraction": fraction, "phase": phase, "message": message})


def _error_message(exc: BaseException) -> str:
    name = type(exc).__name__
    text = str(exc).strip()
    lines = text.splitlines()
    if len(lines) > TAIL_LINES:
        lines = [*lines[: TAIL_LINES // 2], "…", *lines[-TAIL_LINES // 2 :]]
    text = "\n".join(lines)[:MAX_MESSAGE]
    if name == "SolverError":
        return f"The environment cannot be solved. {text}"
    if name in ("GatewayError", "FetchRepoDataError"):
        return f"Could not read the channels: {text}"
    if name in ("InvalidMatchSpecError", "InvalidPackageNameError", "InvalidVersionSpecError", "ParseMatchSpecError"):
        return f"A dependency is not a valid conda spec: {text}"
    if name == "InvalidChannelError":
        return f"A channel is not valid: {text}"
    return f"{name}: {text}" if text else name


async def _child_run(request: Mapping[str, Any], out: _Lines) -> None:
    import rattler

    specs = [rattler.MatchSpec(s) for s in request["specs"]]  # as conda reads a command line (lenient)
    cache_dir = Path(request["cache_dir"])
    virtuals = _virtual_packages(request["virtual_packages"])
    gateway = rattler.Gateway(cache_dir=cache_dir / "repodata", show_progress=False)
    records = await rattler.solve(
        [rattler.Channel(url) for url in request["channels"]],
        specs,
        gateway=gateway,
        platforms=[rattler.Subdir.current(), rattler.Subdir("noarch")],
        virtual_packages=virtuals,
        # conda's, mamba's and micromamba's default (`add_pip_as_python_dependency: true`).
        add_pip_as_python_dependency=True,
    )
    records = sorted(records, key=lambda r: r.name.normalized)
    for r in records:
        out.send(
            {
                "t": "record",
                "channel": str(r.channel),
                "subdir": str(r.subdir),
                "name": r.name.source,
                "version": str(r.version),
                "build": str(r.build),
            }
        )
    out.event("progress", 0.1, "solve", f"Solved: {len(records)} packages")
    for r in records:
        out.event(
            "log", None, "solve", f"  + {r.name.source} {r.version} {r.build} ({history_channel(str(r.channel))})"
        )
    # The protocol class supplies the callbacks not overridden here; rattler is only importable in this function.
    reporter: _Reporter = type("_InstallReporter", (_Reporter, rattler.InstallerReporter), {})(out, len(records))
    # py-rattler 0.28 hands `requested_specs` to its native layer without unwrapping the Python objects
    # ("'MatchSpec' object is not an instance of 'PyMatchSpec'"), so the native ones are passed.
    requested: Any = [getattr(s, "_match_spec", s) for s in specs]
    await rattler.install(
        records,
        target_prefix=request["prefix"],
        cache_dir=cache_dir,
        installed_packages=[],
        execute_link_scripts=False,
        show_progress=False,
        requested_specs=requested,
        reporter=cast("rattler.InstallerReporter", reporter),
    )
    reporter.close()


def _virtual_packages(overrides: list[list[str]] | None) -> list[rattler.GenericVirtualPackage]:
    """rattler's detection (which honours CONDA_OVERRIDE_CUDA and the other CONDA_OVERRIDE_* as conda does),
    with each given (name, version, build) replacing the detected package of that name or adding it."""
    import rattler

    found = {
        v.name.normalized: v
        for v in (p.into_generic() for p in rattler.VirtualPackage.detect(rattler.VirtualPackageOverrides.from_env()))
    }
    for name, version, build in overrides or ():
        package = rattler.GenericVirtualPackage(
            rattler.PackageName(name), rattler.Version(version), rattler.BuildString(build)
        )
        found[package.name.normalized] = package
    return list(found.values())


class _Reporter:
    """rattler's install callbacks turned into progress events. Half of the install's share is getting packages
    into the cache (download and extract, by bytes where rattler reports them), half is linking them.

    Used mixed with `rattler.InstallerReporter` (see `_child_run`), which gives every other callback a no-op."""

    _MIN_INTERVAL_S = 0.1  # download byte progress, at most this often

    def __init__(self, out: _Lines, total: int) -> None:
        self._out = out
        self._total = max(total, 1)
        self._lock = threading.Lock()
        self._names: dict[int, str] = {}  # cache token -> package name
        self._downloads: dict[int, int] = {}  # download token -> cache token
        self._cached: dict[int, float] = {}  # cache token -> share of it done
        self._linked = 0
        self._link_names: dict[int, str] = {}
        self._next = 0
        self._last = 0.0
        self._closed = False

    def _token(self) -> int:
        self._next += 1
        return self._next

    def _fraction(self) -> float:
        done = sum(self._cached.values()) / self._total + self._linked / self._total
        return 0.1 + 0.9 * min(done / 2, 1.0)

    def _emit(self, phase: str, message: str = "", *, throttle: bool = False) -> None:
        now = time.monotonic()
        if self._closed or (throttle and now - self._last < self._MIN_INTERVAL_S):
            return
        self._last = now
        self._out.event("progress", self._fraction(), phase, message)

    def close(self) -> None:
        with self._lock:
            self._closed = True

    def on_transaction_start(self, total_operations: int) -> None:
        with self._lock:
            self._total = max(total_operations, 1)

    def on_populate_cache_start(self, operation: int, package_name: str) -> int:
        with self._lock:
            token = self._token()
            self._names[token] = package_name
            self._cached[token] = 0.0
            return token

    def on_download_start(self, cache_entry: int) -> int:
        with self._lock:
            token = self._token()
            self._downloads[token] = cache_entry
            self._emit("download", f"Downloading {self._names.get(cache_entry, '')}".rstrip())
            return token

    def on_download_progress(self, download_idx: int, progress: int, total: int | None) -> None:
        with self._lock:
            entry = self._downloads.get(download_idx)
            if entry is not None and total:
                self._cached[entry] = 0.9 * min(progress / total, 1.0)
                self._emit("download", throttle=True)

    def on_populate_cache_complete(self, cache_entry: int) -> None:
        with self._lock:
            self._cached[cache_entry] = 1.0
            self._emit("download")

    def on_link_start(self, operation: int, package_name: str) -> int:
        with self._lock:
            token = self._token()
            self._link_names[token] = package_name
            return token

    def on_link_complete(self, index: int) -> None:
        with self._lock:
            self._linked += 1
            self._emit("link", f"Linked {self._link_names.get(index, '')}".rstrip())

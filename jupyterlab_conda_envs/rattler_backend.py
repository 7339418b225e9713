"""The built-in backend: create an environment with py-rattler, where no conda CLI exists.

`create_with_rattler` solves the file's specs against the file's channels, installs the records into a new prefix,
appends the `conda-meta/history` block conda would have written (so history export, discovery and kernels treat the
result as any conda environment), then runs the `pip:` lines with the new environment's own `python -m pip`.

Solving and installing run in a child Python process (`_child_main`), not in the server. A cancelled
`rattler.install` keeps linking: dropping its future does not stop the link tasks already started, and files keep
appearing in the prefix after the cancellation returns (measured with py-rattler 0.28). Only a process that has
exited is known to write nothing more, so cancelling ends the child's process group (SIGINT, SIGTERM, SIGKILL) and
removes the prefix after that, exactly as for pip and the conda CLIs. The child also keeps the solver's memory
(repodata of large channels) out of the long-running server.

The child talks JSON lines on stdout: `event` (progress/log, fractions of its own work in [0, 1]), one `record` per
solved package, then `done`, or `error` with a message for the user.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import importlib.metadata
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, NoReturn, cast
from urllib.parse import urlsplit, urlunsplit

from .process_groups import end_process_group, uncancellable
from .urls import mask_text

if TYPE_CHECKING:
    import rattler

# Anaconda's channels that conda names `defaults` (`conda/base/constants.py`, DEFAULT_CHANNELS_UNIX).
DEFAULTS_URLS = ("https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r")
_ANACONDA_REPO = "https://repo.anaconda.com"
_ANACONDA_NAMES = frozenset({"pkgs/main", "pkgs/r", "pkgs/msys2"})
CHANNEL_ALIAS = "https://conda.anaconda.org"

# How long a process group gets after SIGINT, then after SIGTERM, before SIGKILL.
SIGINT_WAIT_S = 3.0
SIGTERM_WAIT_S = 3.0
# How long output may still come after a process exited (from a grandchild that inherited its pipes).
_DRAIN_S = 5.0
# What an error message keeps of a tool's output.
_TAIL_LINES = 40
_MAX_MESSAGE = 4000
# A line longer than this (a progress bar redrawn with `\r` forever, binary noise) is cut.
_MAX_LINE = 8192
# Share of the overall fraction taken by the conda part (solve, download, link) when pip lines follow.
_CONDA_SHARE_WITH_PIP = 0.9
_CONDA_SHARE = 0.99


@dataclass(frozen=True)
class RattlerEvent:
    kind: Literal["progress", "log"]
    fraction: float | None = None
    phase: str | None = None  # "solve", "download", "link", "pip"
    message: str = ""


class RattlerCreateError(Exception):
    """A create that failed for a reason the user should read (solver, download, pip); nothing is left behind."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@functools.lru_cache(maxsize=1)
def rattler_available() -> bool:
    """Whether py-rattler (the optional `rattler` extra) can be imported by this Python."""
    try:
        import rattler  # noqa: F401
    except Exception:  # a missing package, or a wheel whose native part does not load here
        return False
    return True


def channel_urls(channels: Sequence[str]) -> list[str]:
    """The URLs to solve from, as conda maps the names of an environment.yml's `channels:`.

    `defaults` is Anaconda's pkgs/main and pkgs/r, `pkgs/main`-style names live on repo.anaconda.com, any other name
    under the channel alias; URLs are kept as written and absolute paths become `file://` URLs. `nodefaults` only
    tells conda not to append the `.condarc` channels, which this backend never does.
    """
    urls: list[str] = []
    for raw in channels:
        channel = raw.strip()
        if channel in ("", "nodefaults"):
            continue
        if channel == "defaults":
            found: Sequence[str] = DEFAULTS_URLS
        elif "://" in channel:
            found = (channel.rstrip("/"),)
        elif channel.startswith(("/", "~")):
            found = (Path(os.path.expanduser(channel)).as_uri(),)
        elif channel.startswith(("./", "../")) or channel in (".", ".."):
            raise RattlerCreateError(f"Channel {channel!r}: a relative path cannot be used; give an absolute path.")
        elif channel in _ANACONDA_NAMES:
            found = (f"{_ANACONDA_REPO}/{channel}",)
        else:
            found = (f"{CHANNEL_ALIAS}/{channel}",)
        urls.extend(u for u in found if u not in urls)
    if not urls:
        raise RattlerCreateError("The environment names no channel to install from.")
    return urls


def history_channel(url: str) -> str:
    """A record's channel as conda's history names it (`Channel.canonical_name`): `conda-forge`, `defaults`, or
    the URL without credentials."""
    try:
        parts = urlsplit(url.rstrip("/"))
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return mask_text(url.rstrip("/"))
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > 2 and segments[0] == "t":  # an anaconda.org token
        segments = segments[2:]
    path = "/".join(segments)
    if parts.scheme == "https" and host == "conda.anaconda.org" and path:
        return path
    if parts.scheme == "https" and host == "repo.anaconda.com" and path in _ANACONDA_NAMES:
        return "defaults"
    netloc = f"{host}:{port}" if port is not None else host
    return urlunsplit((parts.scheme, netloc, "/" + path if path else "", "", ""))


@dataclass(frozen=True)
class SolvedPackage:
    channel: str
    subdir: str
    name: str
    version: str
    build: str

    @property
    def dist(self) -> str:
        return f"{history_channel(self.channel)}/{self.subdir}::{self.name}-{self.version}-{self.build}"


def history_block(records: Sequence[SolvedPackage], specs: Sequence[str], cmd: str, when: float | None = None) -> str:
    """The block `conda create` appends to `conda-meta/history` (conda/history.py), with `# rattler` where conda
    writes its own version."""
    try:
        tool = f"# rattler version: {importlib.metadata.version('py-rattler')}"
    except importlib.metadata.PackageNotFoundError:
        tool = "# rattler"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(when))
    one_line = " ".join(cmd.split())
    return "\n".join(
        [
            f"==> {stamp} <==",
            f"# cmd: {one_line}",
            tool,
            *sorted(f"+{r.dist}" for r in records),
            f"# update specs: {[str(s) for s in specs]!r}",
            "",
        ]
    )


async def create_with_rattler(
    prefix: str,
    channels: Sequence[str],
    specs: Sequence[str],
    pip: Sequence[str],
    *,
    on_event: Callable[[RattlerEvent], None],
    cache_dir: str,
    virtual_packages: Sequence[tuple[str, str, str]] | None = None,
    pip_env: Mapping[str, str] | None = None,
    history_cmd: str = "jupyterlab-conda-envs create",
) -> None:
    """Create the environment `prefix` (which must not exist) from conda `specs` and then `pip` lines.

    Raises FileExistsError (nothing touched) when `prefix` exists, RattlerCreateError when solving, installing or
    pip fails, CancelledError when cancelled; in the last two cases the prefix, and any parent folder this call
    made, are removed once every process it started has ended.
    """
    if not os.path.isabs(prefix):
        raise ValueError(f"prefix must be an absolute path: {prefix!r}")
    target = os.path.normpath(prefix)
    urls = channel_urls(channels)
    created = _claim(target)
    progress = _Progress(on_event, _CONDA_SHARE_WITH_PIP if pip else _CONDA_SHARE)
    try:
        progress.emit(RattlerEvent("progress", 0.0, "solve", "Solving environment"))
        solved = await _solve_and_install(target, urls, specs, cache_dir, virtual_packages, progress)
        # rattler tags every prefix it installs as a cache (CACHEDIR.TAG, meant for pixi's disposable environments),
        # which backup tools then skip. An environment made from a user's file is theirs, and conda writes no tag.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(target, "CACHEDIR.TAG"))
        with open(os.path.join(target, "conda-meta", "history"), "a", encoding="utf-8") as f:
            f.write(history_block(solved, specs, history_cmd))
        if pip:
            await _pip_install(target, pip, pip_env, progress)
    except BaseException as exc:
        await uncancellable(_remove(target, created))
        if isinstance(exc, OSError):
            raise RattlerCreateError(mask_text(f"Could not write the environment: {exc}")) from exc
        raise
    progress.emit(RattlerEvent("progress", 1.0, progress.phase, f"Created the environment {target}"))


class _Progress:
    """Forwards events, scaling the conda part into [0, share] and never letting the fraction go back."""

    def __init__(self, on_event: Callable[[RattlerEvent], None], share: float) -> None:
        self._on_event = on_event
        self.share = share
        self.fraction = 0.0
        self.phase: str | None = None

    def emit(self, event: RattlerEvent) -> None:
        if event.kind == "progress":
            self.fraction = max(self.fraction, event.fraction if event.fraction is not None else 0.0)
            self.phase = event.phase or self.phase
            event = RattlerEvent("progress", self.fraction, self.phase, event.message)
        self._on_event(RattlerEvent(event.kind, event.fraction, event.phase, mask_text(event.message)))

    def child(self, fraction: float | None, phase: str | None, message: str) -> None:
        scaled = None if fraction is None else self.share * min(max(fraction, 0.0), 1.0)
        self.emit(RattlerEvent("progress", scaled, phase, message))

    def log(self, message: str, phase: str | None = None) -> None:
        self.emit(RattlerEvent("log", None, phase or self.phase, message))


def _claim(prefix: str) -> list[str]:
    """Make `prefix` (and its missing parents); the folders made, outermost first. Raises FileExistsError when
    anything, even a dangling link, is at `prefix` already."""
    if os.path.lexists(prefix):
        raise FileExistsError(errno.EEXIST, "The environment folder exists already", prefix)
    missing: list[str] = []
    parent = os.path.dirname(prefix)
    while parent and not os.path.lexists(parent):
        missing.append(parent)
        parent = os.path.dirname(parent)
    created: list[str] = []
    try:
        for folder in reversed(missing):
            try:
                os.mkdir(folder)
            except FileExistsError:
                continue  # made meanwhile by someone else: not ours to remove
            created.append(folder)
        os.mkdir(prefix)  # atomic: a concurrent create of the same prefix gets FileExistsError here
    except BaseException:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        raise
    return [*created, prefix]


async def _remove(prefix: str, created: list[str]) -> None:
    """Remove what `_claim` made: the prefix with everything in it, then the parents it made, if empty."""
    await asyncio.to_thread(shutil.rmtree, prefix, ignore_errors=True)
    for folder in reversed(created[:-1]):
        with contextlib.suppress(OSError):
            os.rmdir(folder)


# --- processes ---------------------------------------------------------------------------------------------------


async def _run(
    args: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: str | None,
    stdin: bytes | None,
    on_stdout: Callable[[str], None],
    on_stderr: Callable[[str], None],
) -> int:
    """Run `args` (no shell) in a session of its own, feeding lines of its output to the callbacks; its exit code.

    If this is cancelled or fails (a callback raising included), the whole process group is ended before the
    exception goes on.
    """
    proc = await asyncio.create_subprocess_exec(
        *args,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    readers = [
        asyncio.ensure_future(_read_lines(proc.stdout, on_stdout)),
        asyncio.ensure_future(_read_lines(proc.stderr, on_stderr)),
    ]
    exited = asyncio.ensure_future(proc.wait())
    finished = False
    try:
        if stdin is not None and proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                proc.stdin.write(stdin)
                await proc.stdin.drain()
            proc.stdin.close()
        await asyncio.wait([exited, *readers], return_when=asyncio.FIRST_EXCEPTION)
        for reader in readers:
            if reader.done():
                reader.result()  # a callback's exception
        rc = await exited
        # The rest of the output; a grandchild that still holds the pipes open must not keep this waiting.
        await asyncio.wait(readers, timeout=_DRAIN_S)
        for reader in readers:
            if reader.done():
                reader.result()
        finished = True
        return rc
    finally:
        for task in (*readers, exited):
            task.cancel()
        if not finished:
            await uncancellable(end_process_group(proc, SIGINT_WAIT_S, SIGTERM_WAIT_S))


async def _read_lines(stream: asyncio.StreamReader, handle: Callable[[str], None]) -> None:
    """Lines (split at `\\n` and `\\r`) of a stream until its end, each cut to `_MAX_LINE`."""
    pending = b""
    while True:
        chunk = await stream.read(65536)
        if not chunk:
            break
        pending += chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        *lines, pending = pending.split(b"\n")
        for line in lines:
            handle(line[:_MAX_LINE].decode("utf-8", errors="replace"))
        if len(pending) > _MAX_LINE:
            handle(pending[:_MAX_LINE].decode("utf-8", errors="replace"))
            pending = b""
    if pending:
        handle(pending[:_MAX_LINE].decode("utf-8", errors="replace"))


def _tail_text(lines: deque[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines if line.strip())
    return mask_text(text[-_MAX_MESSAGE:])


# --- solve and install, in the child ----------------------------------------------------------------------------


async def _solve_and_install(
    prefix: str,
    urls: list[str],
    specs: Sequence[str],
    cache_dir: str,
    virtual_packages: Sequence[tuple[str, str, str]] | None,
    progress: _Progress,
) -> list[SolvedPackage]:
    request = {
        "prefix": prefix,
        "channels": urls,
        "specs": [str(s) for s in specs],
        "cache_dir": os.path.abspath(cache_dir),
        "virtual_packages": None if virtual_packages is None else [list(v) for v in virtual_packages],
    }
    records: list[SolvedPackage] = []
    outcome: dict[str, str] = {}
    stderr: deque[str] = deque(maxlen=_TAIL_LINES)

    def on_stdout(line: str) -> None:
        try:
            msg = json.loads(line)
        except ValueError:
            msg = None
        if not isinstance(msg, dict):
            if line.strip():
                progress.log(line)
            return
        kind = msg.get("t")
        if kind == "event":
            fraction = msg.get("fraction")
            phase, message = msg.get("phase"), str(msg.get("message") or "")
            phase = phase if isinstance(phase, str) else None
            if msg.get("kind") == "progress":
                progress.child(float(fraction) if isinstance(fraction, (int, float)) else None, phase, message)
            elif message:
                progress.log(message, phase)
        elif kind == "record":
            records.append(
                SolvedPackage(*(str(msg.get(k, "")) for k in ("channel", "subdir", "name", "version", "build")))
            )
        elif kind in ("done", "error"):
            outcome[kind] = str(msg.get("message") or "")

    # The child imports this package from where the server imported it, and nothing from the server's working
    # directory (`-c` puts it first on sys.path; a notebook folder may hold a `json.py`).
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = (
        f"import sys; sys.path[:1] = [{root!r}] if sys.path[:1] == [''] else [{root!r}, *sys.path[:1]]; "
        f"from {__name__} import _child_main; _child_main()"
    )
    rc = await _run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=None,
        stdin=json.dumps(request).encode(),
        on_stdout=on_stdout,
        on_stderr=stderr.append,
    )
    if "error" in outcome:
        raise RattlerCreateError(mask_text(outcome["error"]))
    # `done` comes after the last record and the end of the install: what the process does after it is no matter.
    if "done" not in outcome:
        detail = _tail_text(stderr) or f"exit code {rc}"
        raise RattlerCreateError(f"Creating the environment with rattler failed:\n{detail}")
    progress.child(1.0, "link", f"Installed {len(records)} packages")
    return records


def _child_main() -> NoReturn:
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
    if len(lines) > _TAIL_LINES:
        lines = [*lines[: _TAIL_LINES // 2], "…", *lines[-_TAIL_LINES // 2 :]]
    text = "\n".join(lines)[:_MAX_MESSAGE]
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


# --- pip -----------------------------------------------------------------------------------------------------------


def _env_python(prefix: str) -> str:
    if sys.platform == "win32":
        return os.path.join(prefix, "python.exe")
    return os.path.join(prefix, "bin", "python")


async def _pip_install(
    prefix: str, lines: Sequence[str], pip_env: Mapping[str, str] | None, progress: _Progress
) -> None:
    """`python -m pip install -U -r <file> --exists-action=b` with the environment's own Python, as
    `conda env create` runs a `pip:` section (conda/env/installers/pip.py)."""
    progress.emit(RattlerEvent("progress", progress.share, "pip", f"Installing {len(lines)} pip requirement(s)"))
    python = _env_python(prefix)
    if not os.path.exists(python):
        raise RattlerCreateError(
            "The environment has pip requirements but no Python: add python and pip to its dependencies."
        )
    # A private folder (0700): requirement lines can carry index credentials.
    workdir = tempfile.mkdtemp(prefix="conda-envs-pip-")
    try:
        requirements = os.path.join(workdir, "requirements.txt")
        with open(requirements, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP")}
        env.update({"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PYTHONUNBUFFERED": "1"})
        env.update(pip_env or {})
        stderr: deque[str] = deque(maxlen=_TAIL_LINES)

        def on_stderr(line: str) -> None:
            stderr.append(line)
            if line.strip():
                progress.log(line, "pip")

        rc = await _run(
            [python, "-m", "pip", "install", "-U", "-r", requirements, "--exists-action=b"],
            env=env,
            cwd=workdir,
            stdin=None,
            on_stdout=lambda line: progress.log(line, "pip") if line.strip() else None,
            on_stderr=on_stderr,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if rc != 0:
        detail = _tail_text(stderr) or "no output"
        raise RattlerCreateError(f"pip failed (exit code {rc}):\n{detail}")
    progress.emit(RattlerEvent("progress", _CONDA_SHARE, "pip", "pip requirements installed"))

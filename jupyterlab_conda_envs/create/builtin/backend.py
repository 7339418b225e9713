"""The built-in backend: create an environment with py-rattler, where no conda CLI exists.

`create_with_rattler` solves the file's specs against the file's channels, installs the records into a new prefix,
appends the `conda-meta/history` block conda would have written (so history export, discovery and kernels treat the
result as any conda environment), then runs the `pip:` lines with the new environment's own `python -m pip`.

Solving and installing run in a child Python process (`child`), not in the server. A cancelled
`rattler.install` keeps linking: dropping its future does not stop the link tasks already started, and files keep
appearing in the prefix after the cancellation returns (measured with py-rattler 0.28). Only a process that has
exited is known to write nothing more, so cancelling ends the child's process group (SIGINT, SIGTERM, SIGKILL) and
removes the prefix after that, exactly as for pip and the conda CLIs. The child also keeps the solver's memory
(repodata of large channels) out of the long-running server.

The child talks JSON lines on stdout (see `child`); the helpers live beside this module: channel names and
the history block in `channels`, the events, the error and the progress forwarder in `events`, the
pip step in `pip`; processes run through `core.process`.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import json
import os
import shutil
import sys
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ...core.process import Lines, run_process, uncancellable
from ...core.urls import mask_text
from . import child as rattler_child
from .channels import SolvedPackage, channel_urls, history_block
from .events import (
    CONDA_SHARE,
    CONDA_SHARE_WITH_PIP,
    TAIL_LINES,
    Progress,
    RattlerCreateError,
    RattlerEvent,
    tail_text,
)
from .pip import pip_install

__all__ = ["RattlerCreateError", "RattlerEvent", "create_with_rattler", "rattler_available"]


@functools.lru_cache(maxsize=1)
def rattler_available() -> bool:
    """Whether py-rattler (the optional `rattler` extra) can be imported by this Python."""
    try:
        import rattler  # noqa: F401
    except Exception:  # a missing package, or a wheel whose native part does not load here
        return False
    return True


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
    progress = Progress(on_event, CONDA_SHARE_WITH_PIP if pip else CONDA_SHARE)
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
            await pip_install(target, pip, pip_env, progress)
    except BaseException as exc:
        await uncancellable(_remove(target, created))
        if isinstance(exc, OSError):
            raise RattlerCreateError(mask_text(f"Could not write the environment: {exc}")) from exc
        raise
    progress.emit(RattlerEvent("progress", 1.0, progress.phase, f"Created the environment {target}"))


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


# --- solve and install, in the child ----------------------------------------------------------------------------


async def _solve_and_install(
    prefix: str,
    urls: list[str],
    specs: Sequence[str],
    cache_dir: str,
    virtual_packages: Sequence[tuple[str, str, str]] | None,
    progress: Progress,
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
    stderr: deque[str] = deque(maxlen=TAIL_LINES)

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
    # The folder that holds the top package: one level up per dot in this module's name.
    root = str(Path(__file__).resolve().parents[__name__.count(".")])
    code = (
        f"import sys; sys.path[:1] = [{root!r}] if sys.path[:1] == [''] else [{root!r}, *sys.path[:1]]; "
        f"from {rattler_child.__name__} import child_main; child_main()"
    )
    rc = await run_process(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdin=json.dumps(request).encode(),
        on_stdout=Lines(on_stdout),
        on_stderr=Lines(stderr.append),
    )
    if "error" in outcome:
        raise RattlerCreateError(mask_text(outcome["error"]))
    # `done` comes after the last record and the end of the install: what the process does after it is no matter.
    if "done" not in outcome:
        detail = tail_text(stderr) or f"exit code {rc}"
        raise RattlerCreateError(f"Creating the environment with rattler failed:\n{detail}")
    progress.child(1.0, "link", f"Installed {len(records)} packages")
    return records

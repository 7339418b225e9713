"""Run a program with a deadline and bounded output, and leave nothing of it behind.

Output goes to anonymous temporary files (no pipe to fill, no unbounded buffer in this process); the program gets its
own process group (`start_new_session`), which is signalled as a whole — SIGTERM, then SIGKILL — at the deadline and
after a normal exit too, so helpers it started (a framework's workers, a driver tool's children) do not outlive it.
Every wait is bounded: a process stuck in the kernel (D state) is abandoned rather than waited on forever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO

_GRACE = 2.0


@dataclass
class Finished:
    returncode: int | None  # None: killed at the deadline
    stdout: str
    stderr: str
    timed_out: bool


def _read(file: IO[bytes], limit: int) -> str:
    file.seek(0)
    return file.read(limit).decode("utf-8", "replace")


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run_bounded(
    argv: Sequence[str],
    timeout: float,
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    limit: int = 256 * 1024,
) -> Finished:
    """Run `argv` (an argument list, never a shell). Raises OSError when it cannot be started."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        # The group goes in every case: a well-behaved exit may still leave children running.
        _signal_group(proc.pid, signal.SIGTERM)
        if timed_out:
            try:
                proc.wait(timeout=_GRACE)
            except subprocess.TimeoutExpired:
                _signal_group(proc.pid, signal.SIGKILL)
                try:
                    proc.wait(timeout=_GRACE)
                except subprocess.TimeoutExpired:
                    pass  # stuck in the kernel: abandoned, not waited on
        return Finished(
            returncode=None if timed_out else proc.returncode,
            stdout=_read(out, limit),
            stderr=_read(err, limit),
            timed_out=timed_out,
        )

"""Ending a child process with everything it started, and cleanup that a second cancel cannot cut short.

Tools run in a session of their own (`start_new_session=True`), so the child's pid is its process group: signals go
to the group, which reaches a pip build or a post-link script the tool started.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Awaitable


def signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


async def end_process_group(process: asyncio.subprocess.Process, sigint_wait: float, sigterm_wait: float) -> None:
    """SIGINT to the group (conda cleans up on it), then SIGTERM, then SIGKILL, each after its wait; then SIGKILL to
    what is left of the group (a grandchild that outlived its parent)."""
    if process.returncode is None:
        for sig, wait in ((signal.SIGINT, sigint_wait), (signal.SIGTERM, sigterm_wait), (signal.SIGKILL, None)):
            signal_group(process.pid, sig)
            try:
                await asyncio.wait_for(process.wait(), wait)
                break
            except asyncio.TimeoutError:
                continue
    signal_group(process.pid, signal.SIGKILL)


async def uncancellable(work: Awaitable[None]) -> None:
    """Run `work` to its end even when the caller is cancelled again meanwhile (cleanup must not stop halfway);
    a cancellation that arrived meanwhile is raised afterwards."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                break
            cancelled = True
    if not task.cancelled():
        task.result()
    if cancelled:
        raise asyncio.CancelledError

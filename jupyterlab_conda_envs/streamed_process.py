"""Run a program in a session of its own, feeding each line of its output to a callback as it comes, and end its
whole process group when the caller is cancelled or fails.

The rattler backend runs its solve-and-install child and its pip step this way. Unlike `bounded_run` (a deadline,
output gathered in files) there is no deadline: the work runs until it ends or is cancelled, and the lines drive
progress while it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager

from .process_groups import end_process_group, uncancellable
from .urls import mask_text

# Held around a started process's life: the job runner's bookkeeping, so its last-resort kill at interpreter exit
# reaches this process group too.
Tracker = Callable[[asyncio.subprocess.Process], AbstractContextManager[None]]

# How long a process group gets after SIGINT, then after SIGTERM, before SIGKILL.
SIGINT_WAIT_S = 3.0
SIGTERM_WAIT_S = 3.0
# How long output may still come after a process exited (from a grandchild that inherited its pipes).
_DRAIN_S = 5.0
# What an error message keeps of a tool's output.
TAIL_LINES = 40
MAX_MESSAGE = 4000
# A line longer than this (a progress bar redrawn with `\r` forever, binary noise) is cut.
_MAX_LINE = 8192


async def run_streamed(
    args: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: str | None,
    stdin: bytes | None,
    on_stdout: Callable[[str], None],
    on_stderr: Callable[[str], None],
    track: Tracker | None = None,
) -> int:
    """Run `args` (no shell) in a session of its own, feeding lines of its output to the callbacks; its exit code.

    If this is cancelled or fails (a callback raising included), the whole process group is ended before the
    exception goes on. `track` is entered once the process exists and left once it is over.
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
    with track(proc) if track is not None else contextlib.nullcontext():
        return await _stream(proc, stdin, on_stdout, on_stderr)


async def _stream(
    proc: asyncio.subprocess.Process,
    stdin: bytes | None,
    on_stdout: Callable[[str], None],
    on_stderr: Callable[[str], None],
) -> int:
    """Feed `stdin`, stream the output until the process ends; on cancel or failure, end its group."""
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


def tail_text(lines: deque[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines if line.strip())
    return mask_text(text[-MAX_MESSAGE:])

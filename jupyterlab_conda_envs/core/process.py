"""The one way this server runs another program: jobs' conda CLIs, the rattler child, the pip step, the probe,
nvidia-smi, `conda --version`.

Every child gets:
- a session of its own (`start_new_session`), so its pid is its process group and signals reach everything it
  started (a pip build, a post-link script, a framework's workers);
- SIGINT at its default disposition, even when this server was started with SIGINT ignored (`nohup`, `&` in a
  script): an ignored signal survives `exec`, and cancel relies on SIGINT, on which conda cleans up;
- output read as it comes through pipes, never gathered without bound (the caller's sinks decide what to keep); or,
  asked for, stdout through a pseudo-terminal in raw mode (bytes unchanged): conda writes its JSON progress records
  only when its stdout is a terminal (`conda.common.terminal.is_tty`), and through a pipe only its final result;
- a bounded drain: after the program exits, output is read for `DRAIN_S` more, then whatever of its group still
  holds the pipes is killed, so a grandchild can never keep a caller waiting;
- an end: the group is signalled when the program exits, at a deadline, when the caller is cancelled or fails,
  and by `kill_all_now` at interpreter exit, which knows every live group.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import signal
import sys
import threading
import tty
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

Sink = Callable[[bytes], None]

# A cancel: SIGINT (conda cleans up on it), then SIGTERM, each with its wait, then SIGKILL.
SIGINT_WAIT_S = 3.0
SIGTERM_WAIT_S = 3.0
# A deadline: SIGTERM, then SIGKILL after this grace.
DEADLINE_GRACE_S = 2.0
# How long output may still come after the program exited (from a grandchild that inherited its pipes).
DRAIN_S = 2.0
# After SIGKILL, how long to wait for the exit status; a process stuck in the kernel (D state) is abandoned.
KILL_WAIT_S = 2.0
# A line longer than this (a progress bar redrawn with `\r` forever, binary noise) is cut.
MAX_LINE = 8192

_live: set[int] = set()
_live_lock = threading.Lock()  # the bounded runs come from worker threads

# Run by the child's own Python when the server ignores SIGINT: reset it, then become the program.
_RESET_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"
)


def live_groups() -> set[int]:
    """The process groups started here that are still running."""
    with _live_lock:
        return set(_live)


def kill_all_now() -> None:
    """Last resort (at interpreter exit, no event loop): SIGKILL every live group."""
    for pgid in live_groups():
        signal_group(pgid, signal.SIGKILL)


def signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def without_server_python(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` for a child that is a Python program of its own (conda, an environment's interpreter): without the
    server's PYTHONPATH / PYTHONHOME, with which it would import the server's packages instead of its own (seen with
    real conda 26.7 under pytest-jupyter, which exports its sys.path: the server's py-rattler broke conda's solver)."""
    return {k: v for k, v in environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def child_argv(argv: Sequence[str], env: Mapping[str, str] | None) -> list[str]:
    """`argv` as started: through the SIGINT reset only where this process ignores SIGINT (otherwise `exec` resets
    a handled signal by itself). Raises FileNotFoundError, as starting it directly would, for a missing program."""
    if signal.getsignal(signal.SIGINT) != signal.SIG_IGN:
        return list(argv)
    path = (env if env is not None else os.environ).get("PATH", os.defpath)
    if shutil.which(argv[0], path=path) is None:
        raise FileNotFoundError(f"No such file or directory: {argv[0]!r}")
    return [sys.executable, "-I", "-S", "-c", _RESET_SIGINT, *argv]


class Lines:
    """A sink that splits chunks into lines (at `\\n` and `\\r`, each cut to `MAX_LINE`) for `handle`."""

    def __init__(self, handle: Callable[[str], None]) -> None:
        self._handle = handle
        self._pending = b""

    def __call__(self, chunk: bytes) -> None:
        if not chunk:  # the end of the stream
            if self._pending:
                self._emit(self._pending)
                self._pending = b""
            return
        self._pending += chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            self._emit(line)
        if len(self._pending) > MAX_LINE:
            self._emit(self._pending)
            self._pending = b""

    def _emit(self, line: bytes) -> None:
        self._handle(line[:MAX_LINE].decode("utf-8", errors="replace"))


async def run_process(
    argv: Sequence[str],
    *,
    on_stdout: Sink,
    on_stderr: Sink,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    stdin: bytes | None = None,
    timeout: float | None = None,
    stdout_terminal: bool = False,
) -> int | None:
    """Run `argv` (a list, never a shell) as described above; its exit status, or None when it was ended at the
    `timeout` deadline. Each sink gets the chunks of its stream, then `b""` once the stream ended. With
    `stdout_terminal`, the program's stdout is a pseudo-terminal (stdin and stderr stay what they are).

    Raises OSError when it cannot be started. If the caller is cancelled or a sink raises, the whole group is
    ended (SIGINT, SIGTERM, SIGKILL) before the exception goes on; a second cancel cannot cut that short.
    """
    terminal: _Terminal | None = None
    try:
        # The terminal's reading side is connected before the child starts: between the start and `_supervise`,
        # which ends the group on every way out, nothing may wait (a cancel there would leave the child running).
        terminal_reader = None
        if stdout_terminal:
            terminal = _Terminal()
            terminal_reader = await terminal.open()
        process = await asyncio.create_subprocess_exec(
            *child_argv(argv, env),
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=terminal.child_fd if terminal else asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
    except BaseException:
        if terminal:
            terminal.close()
        raise
    with _registered(process.pid):
        try:
            if terminal:
                terminal.close_child_side()  # the child has its copy; ours would outlive the child's group
            stdout = terminal_reader or process.stdout
            assert stdout is not None
            return await _supervise(process, stdin, stdout, on_stdout, on_stderr, timeout)
        finally:
            if terminal:
                terminal.close()


class _TerminalProtocol(asyncio.StreamReaderProtocol):
    def connection_lost(self, exc: Exception | None) -> None:
        # A terminal whose every writer closed it reads as EIO on Linux, not as an end of file. As an error it
        # would also hide output not read yet (a StreamReader raises before returning what it holds).
        if isinstance(exc, OSError) and exc.errno == errno.EIO:
            exc = None
        super().connection_lost(exc)


class _Terminal:
    """A pseudo-terminal for a child's stdout: the child gets the terminal side, this process reads the other."""

    def __init__(self) -> None:
        ours, self.child_fd = os.openpty()
        # Our side is owned by a file object from here on: it alone closes the fd (asyncio's transport closes it
        # through the same object), so a number the system may already have reused is never closed twice.
        self._ours = os.fdopen(ours, "rb", buffering=0)
        self._transport: asyncio.BaseTransport | None = None
        self._child_closed = False
        try:
            # Raw mode: no `\n` → `\r\n`, no echo; the child's bytes arrive as it wrote them.
            tty.setraw(self.child_fd)
        except BaseException:
            self.close()
            raise

    async def open(self) -> asyncio.StreamReader:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=2**20)
        self._transport, _ = await loop.connect_read_pipe(lambda: _TerminalProtocol(reader), self._ours)
        return reader

    def close_child_side(self) -> None:
        if not self._child_closed:
            self._child_closed = True
            os.close(self.child_fd)

    def close(self) -> None:
        self.close_child_side()
        if self._transport is not None:
            self._transport.close()
        else:
            self._ours.close()  # closing a closed file object does nothing


@contextlib.contextmanager
def _registered(pgid: int) -> Iterator[None]:
    with _live_lock:
        _live.add(pgid)
    try:
        yield
    finally:
        with _live_lock:
            _live.discard(pgid)


async def _supervise(
    process: asyncio.subprocess.Process,
    stdin: bytes | None,
    stdout: asyncio.StreamReader,
    on_stdout: Sink,
    on_stderr: Sink,
    timeout: float | None,
) -> int | None:
    assert process.stderr is not None
    pumps = asyncio.gather(_pump(stdout, on_stdout), _pump(process.stderr, on_stderr))
    over = False  # the group was ended, or the program exited and was drained
    try:
        if stdin is not None and process.stdin is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                process.stdin.write(stdin)
                await process.stdin.drain()
            process.stdin.close()
        # `process.wait()` waits for the pipes to close too, and a grandchild may hold them after the program
        # exited: watch the exit status itself.
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while process.returncode is None:
            if deadline is not None and loop.time() >= deadline:
                await end_group(process, ((signal.SIGTERM, DEADLINE_GRACE_S),))
                await _drain(process, pumps)
                over = True
                return None
            if pumps.done():
                pumps.result()  # a sink's exception; else the output is closed, and its exit is what is left
                remaining = None if deadline is None else max(deadline - loop.time(), 0.0)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(process.wait(), remaining)
            else:
                await asyncio.wait({pumps}, timeout=0.1)
        await _drain(process, pumps)
        # A well-behaved exit may still leave helpers running in its group.
        signal_group(process.pid, signal.SIGTERM)
        over = True
        return process.returncode
    finally:
        if not over:
            await uncancellable(end_group(process, ((signal.SIGINT, SIGINT_WAIT_S), (signal.SIGTERM, SIGTERM_WAIT_S))))
        # Only a pipe held by a process outside the group can still be open here: stop reading it.
        pumps.cancel()


async def _drain(process: asyncio.subprocess.Process, pumps: asyncio.Future[tuple[None, None]]) -> None:
    """What is left of the output, for `DRAIN_S`; then the group goes, pipe holders included. A sink's exception
    goes on."""
    try:
        await asyncio.wait_for(asyncio.shield(pumps), DRAIN_S)
    except asyncio.TimeoutError:
        signal_group(process.pid, signal.SIGKILL)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(pumps), DRAIN_S)


async def _pump(stream: asyncio.StreamReader, sink: Sink) -> None:
    while True:
        chunk = await stream.read(65536)
        sink(chunk)
        if not chunk:
            return


async def end_group(process: asyncio.subprocess.Process, steps: Sequence[tuple[int, float]]) -> None:
    """Each (signal, wait) of `steps` to the group until the program exits, then SIGKILL to what is left of the
    group (a grandchild that outlived its parent). Every wait is bounded."""
    if process.returncode is None:
        for sig, wait in (*steps, (signal.SIGKILL, KILL_WAIT_S)):
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


@dataclass
class Finished:
    returncode: int | None  # None: ended at the deadline
    stdout: str
    stderr: str
    timed_out: bool


class _Head:
    """A sink that keeps the first `limit` bytes and reads (and drops) the rest, so the program never blocks."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()

    def __call__(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]

    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


def run_bounded(
    argv: Sequence[str],
    timeout: float,
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    limit: int = 256 * 1024,
) -> Finished:
    """`run_process` for a caller without an event loop (a worker thread): the first `limit` bytes of each stream,
    ended at `timeout`. Raises OSError when it cannot be started."""
    out, err = _Head(limit), _Head(limit)
    returncode = asyncio.run(run_process(argv, on_stdout=out, on_stderr=err, env=env, cwd=cwd, timeout=timeout))
    timed_out = returncode is None
    return Finished(returncode=returncode, stdout=out.text(), stderr=err.text(), timed_out=timed_out)

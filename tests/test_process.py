"""The one process runner (`core.process`): every child the server starts goes through it.

Real child processes throughout; the job-level behaviour (cancel, shutdown, a grandchild holding the pipes of a
job) is in test_jobs.py, the rattler child and the pip step in test_rattler_backend.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from jupyterlab_conda_envs.core import process
from jupyterlab_conda_envs.core.process import Lines, run_bounded

from .conftest import live_processes

PY = sys.executable
SIGINT_BIT = 1 << 1  # SIGINT is signal 2: bit 1 of the SigIgn mask in /proc/<pid>/status

READ_SIGIGN = "print([l for l in open('/proc/self/status') if l.startswith('SigIgn')][0].split()[1])"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is not alive: it only waits to be reaped by its parent.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_children_get_sigint_back_when_the_server_ignores_it() -> None:
    """A server started with SIGINT ignored (`nohup`, `&` in a script) passes SIG_IGN to what it execs; a cancel's
    SIGINT would then do nothing. The runner's children get the default back; a plain child shows the problem."""
    script = textwrap.dedent(
        f"""
        import signal, subprocess, sys
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        from jupyterlab_conda_envs.core.process import run_bounded
        plain = subprocess.run([sys.executable, "-c", {READ_SIGIGN!r}], capture_output=True, text=True).stdout
        ours = run_bounded([sys.executable, "-c", {READ_SIGIGN!r}], 30).stdout
        missing = None
        try:
            run_bounded(["no-such-program-here"], 5)
        except FileNotFoundError as err:
            missing = type(err).__name__
        print(plain.strip(), ours.strip(), missing)
        """
    )
    out = subprocess.run([PY, "-c", script], capture_output=True, text=True, timeout=120, check=True).stdout.split()
    plain, ours, missing = int(out[0], 16), int(out[1], 16), out[2]
    assert plain & SIGINT_BIT, "the control: a plain child inherits the ignored SIGINT"
    assert not ours & SIGINT_BIT, "the runner's child has SIGINT at its default"
    assert missing == "FileNotFoundError", "a missing program still fails to start, as without the reset"


def test_a_child_of_a_server_that_handles_sigint_is_started_directly() -> None:
    """No extra interpreter when exec resets the signal by itself."""
    assert process.child_argv(["nvidia-smi", "-L"], None) == ["nvidia-smi", "-L"]


def test_output_is_bounded_and_the_child_never_blocks_on_a_full_pipe() -> None:
    done = run_bounded([PY, "-c", "import sys; sys.stdout.write('x' * 5_000_000); print('end')"], 60, limit=1000)
    assert done.returncode == 0 and not done.timed_out
    assert done.stdout == "x" * 1000


def test_the_deadline_ends_the_whole_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    code = (
        "import subprocess, sys, time; "
        f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
        f"open({str(pid_file)!r}, 'w').write(str(p.pid)); print('started', flush=True); time.sleep(60)"
    )
    started = time.monotonic()
    done = run_bounded([PY, "-c", code], 2.0)
    assert done.timed_out and done.returncode is None
    assert "started" in done.stdout
    assert time.monotonic() - started < 2.0 + process.DEADLINE_GRACE_S + 2 * process.DRAIN_S + 3
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(grandchild)


def test_a_grandchild_holding_the_pipes_cannot_keep_the_caller_waiting(tmp_path: Path) -> None:
    """The program exits at once; what it left holds stdout open. After the drain, that is killed."""
    pid_file = tmp_path / "holder.pid"
    code = (
        "import subprocess, sys; "
        "p = subprocess.Popen([sys.executable, '-c', "
        "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)']); "
        f"open({str(pid_file)!r}, 'w').write(str(p.pid)); print('bye')"
    )
    started = time.monotonic()
    done = run_bounded([PY, "-c", code], 60)
    assert done.returncode == 0 and done.stdout.strip() == "bye"
    assert time.monotonic() - started < 2 * process.DRAIN_S + 5
    holder = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while alive(holder) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(holder)


def test_every_live_group_is_known_so_the_exit_kill_reaches_it() -> None:
    """A bounded run in a worker thread (a probe, nvidia-smi) is registered while it runs and gone after; the
    last-resort kill at interpreter exit ends it."""
    before = process.live_groups()
    result: list[process.Finished] = []
    worker = threading.Thread(target=lambda: result.append(run_bounded([PY, "-c", "import time; time.sleep(60)"], 60)))
    worker.start()
    deadline = time.monotonic() + 30
    while not process.live_groups() - before:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    (group,) = process.live_groups() - before
    assert alive(group)
    process.kill_all_now()
    worker.join(30)
    assert not worker.is_alive()
    assert not alive(group)
    assert group not in process.live_groups()


@pytest.mark.parametrize(
    ("chunks", "lines"),
    [
        ([b"one\ntw", b"o\r\nthree\rfour"], ["one", "two", "three", "four"]),
        ([b"x" * (process.MAX_LINE + 10)], ["x" * process.MAX_LINE]),  # the rest of a long line is dropped
        ([b"caf\xc3", b"\xa9\n\xff\n"], ["café", "\ufffd"]),
    ],
)
def test_lines_split_at_newlines_and_carriage_returns_and_are_cut(chunks: list[bytes], lines: list[str]) -> None:
    got: list[str] = []
    sink = Lines(got.append)
    for chunk in [*chunks, b""]:
        sink(chunk)
    assert got == lines


def _run_on_terminal(code: str, timeout: float = 30) -> tuple[int | None, bytes, bytes]:
    import asyncio

    out, err = bytearray(), bytearray()
    returncode = asyncio.run(
        process.run_process(
            [PY, "-c", code], on_stdout=out.extend, on_stderr=err.extend, timeout=timeout, stdout_terminal=True
        )
    )
    return returncode, bytes(out), bytes(err)


def test_stdout_on_a_terminal_arrives_whole_and_unchanged() -> None:
    """conda writes its progress only when stdout is a terminal: the runner can give it one. The child sees a
    terminal on stdout only; raw mode keeps `\\n` (no `\\r\\n`) and NUL separators; everything written before a quick
    exit arrives (a terminal whose writers closed it reads as EIO, which must not swallow what is still buffered)."""
    fds_before = len(os.listdir("/proc/self/fd"))
    code = textwrap.dedent(
        """
        import os, sys
        sys.stderr.write(f"{os.isatty(0)} {os.isatty(1)} {os.isatty(2)}")
        out = sys.stdout.buffer
        out.write(b'{"fetch":"a","progress":0.5}\\n\\0')
        out.write(b"x" * 300000 + b"\\n")
        out.write(b"end\\n")
        """
    )
    returncode, out, err = _run_on_terminal(code)
    assert returncode == 0
    assert err == b"False True False"
    assert out == b'{"fetch":"a","progress":0.5}\n\0' + b"x" * 300000 + b"\nend\n"
    assert len(os.listdir("/proc/self/fd")) == fds_before  # both sides of the terminal closed


def test_a_terminal_child_is_ended_at_its_deadline_with_its_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild"
    code = textwrap.dedent(
        f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(pid_file)!r}, "w").write(str(child.pid))
        print("started", flush=True)
        time.sleep(60)
        """
    )
    started = time.monotonic()
    returncode, out, _ = _run_on_terminal(code, timeout=2)
    assert returncode is None and out == b"started\n"
    assert time.monotonic() - started < 15
    grandchild = int(pid_file.read_text())
    # SIGKILL was sent to the group; the kernel may take a moment to finish the grandchild off.
    gone_by = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert not alive(grandchild)


def _live_children() -> list[int]:
    """This process's children that still run (not zombies)."""
    return [pid for pid, parent, _ in live_processes() if parent == os.getpid()]


def test_a_terminal_run_cancelled_at_any_moment_or_failing_to_start_leaves_nothing(tmp_path: Path) -> None:
    """Between the start and the supervision nothing may wait: a cancel at any turn of the loop, the first ones
    included, still ends the child's group; neither that nor a program that cannot start leaves a descriptor open."""
    import asyncio

    async def cancelled_after(turns: int) -> None:
        task = asyncio.ensure_future(
            process.run_process(
                [PY, "-c", "import time; time.sleep(60)"],
                on_stdout=lambda _: None,
                on_stderr=lambda _: None,
                stdout_terminal=True,
            )
        )
        for _ in range(turns):
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    fds_before = len(os.listdir("/proc/self/fd"))
    for turns in range(8):
        asyncio.run(cancelled_after(turns))
        gone_by = time.monotonic() + 5
        while _live_children() and time.monotonic() < gone_by:
            time.sleep(0.05)
        assert _live_children() == [], turns
    for _ in range(3):
        with pytest.raises(OSError):
            asyncio.run(
                process.run_process(
                    [str(tmp_path / "missing")],
                    on_stdout=lambda _: None,
                    on_stderr=lambda _: None,
                    stdout_terminal=True,
                )
            )
    assert len(os.listdir("/proc/self/fd")) == fds_before

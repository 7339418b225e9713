"""The job runner with real child processes: serialisation, conflicts, cancel (SIGINT → SIGTERM → SIGKILL),
cleanup of only what a job created, failure, log offsets, shutdown."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest

from jupyterlab_conda_envs.core import process
from jupyterlab_conda_envs.jobs import runner as jobs_module
from jupyterlab_conda_envs.jobs.runner import Job, JobConflict, JobContext, JobManager

from .conftest import alive

# A child that ignores SIGINT (as a tool busy in C code can), writes its pid, then waits to be killed.
STUBBORN = (
    "import os, signal, sys, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(600)"
)


async def _until(predicate: object, timeout: float = 10.0) -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.02)


async def _finished(manager: JobManager, job: Job) -> Job:
    await _until(lambda: not job.active, 30)
    return job


def test_a_job_reports_progress_and_log_and_succeeds(tmp_path: Path) -> None:
    async def main() -> Job:
        manager = JobManager()

        async def work(ctx: JobContext) -> str | None:
            ctx.progress(0.5, "download")
            ctx.progress(0.2)  # never backwards
            lines: list[bytes] = []
            errors: list[bytes] = []
            code = await ctx.run(
                [sys.executable, "-c", "print('hello'); import sys; print('oops', file=sys.stderr)"],
                on_stdout=lines.append,
                on_stderr=errors.append,
            )
            # Chunks split anywhere: joined before they become log lines.
            ctx.log(b"".join(errors).decode())
            ctx.log(b"".join(lines).decode())
            assert code == 0
            return "env-id"

        return await _finished(manager, manager.submit("create", "x", str(tmp_path / "x"), "conda", work))

    job = asyncio.run(main())
    assert job.status == "succeeded"
    assert job.progress == 1.0
    assert job.phase == "download"
    assert job.environment_id == "env-id"
    lines, offset = job.log_since(0)
    assert lines == ["oops", "hello"]
    assert offset == 2
    assert job.log_since(1) == (["hello"], 2)


def test_one_prefix_one_active_job_and_jobs_run_one_at_a_time(tmp_path: Path) -> None:
    async def main() -> None:
        manager = JobManager()
        release = asyncio.Event()

        async def slow(ctx: JobContext) -> str | None:
            await release.wait()
            return None

        first = manager.submit("create", "a", str(tmp_path / "a"), "conda", slow)
        with pytest.raises(JobConflict):
            manager.submit("create", "a", str(tmp_path / "a"), "conda", slow)
        second = manager.submit("create", "b", str(tmp_path / "b"), "conda", slow)
        await _until(lambda: first.status == "running")
        await asyncio.sleep(0.1)
        assert second.status == "queued"  # serialised behind the first
        release.set()
        await _finished(manager, first)
        await _finished(manager, second)
        # Finished: the prefix is free again.
        manager.submit("create", "a", str(tmp_path / "a"), "conda", slow)
        await manager.shutdown()

    asyncio.run(main())


def test_cancel_ends_a_process_that_ignores_sigint_and_removes_what_the_job_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "SIGINT_WAIT_S", 0.3)
    monkeypatch.setattr(process, "SIGTERM_WAIT_S", 0.3)
    prefix = tmp_path / "envs" / "new"
    pid_file = tmp_path / "pid"

    async def main() -> Job:
        manager = JobManager()

        async def work(ctx: JobContext) -> str | None:
            (prefix / "conda-meta").mkdir(parents=True)
            await ctx.run([sys.executable, "-c", STUBBORN, str(pid_file)], on_stdout=len, on_stderr=len)
            return None

        job = manager.submit("create", "new", str(prefix), "conda", work)
        await _until(pid_file.exists)
        await _until(lambda: pid_file.read_text() != "")
        cancelled = await manager.cancel(job.id)
        assert cancelled is job
        return job

    job = asyncio.run(main())
    assert job.status == "cancelled"
    assert not alive(int(pid_file.read_text()))
    assert not prefix.exists()
    assert "removed the partial environment" in "\n".join(job.log_since(0)[0])


def test_a_prefix_that_existed_before_is_never_removed(tmp_path: Path) -> None:
    prefix = tmp_path / "existing"
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / "conda-meta" / "history").write_text("keep\n")

    async def main() -> Job:
        manager = JobManager()

        async def work(ctx: JobContext) -> str | None:
            raise RuntimeError("solver said no")

        return await _finished(manager, manager.submit("create", "existing", str(prefix), "conda", work))

    job = asyncio.run(main())
    assert job.status == "failed"
    assert job.error == "solver said no"
    assert (prefix / "conda-meta" / "history").read_text() == "keep\n"


def test_a_failed_create_removes_its_partial_prefix(tmp_path: Path) -> None:
    prefix = tmp_path / "partial"

    async def main() -> Job:
        manager = JobManager()

        async def work(ctx: JobContext) -> str | None:
            prefix.mkdir()
            code = await ctx.run([sys.executable, "-c", "raise SystemExit(1)"], on_stdout=len, on_stderr=len)
            raise RuntimeError(f"exit {code}")

        return await _finished(manager, manager.submit("create", "partial", str(prefix), "conda", work))

    job = asyncio.run(main())
    assert (job.status, job.error) == ("failed", "exit 1")
    assert not prefix.exists()


def test_cancel_while_queued_touches_nothing(tmp_path: Path) -> None:
    async def main() -> tuple[Job, Job]:
        manager = JobManager()
        release = asyncio.Event()

        async def slow(ctx: JobContext) -> str | None:
            await release.wait()
            return None

        first = manager.submit("create", "a", str(tmp_path / "a"), "conda", slow)
        (tmp_path / "b").mkdir()  # made by someone else meanwhile
        second = manager.submit("create", "b", str(tmp_path / "b"), "conda", slow)
        await manager.cancel(second.id)
        release.set()
        return await _finished(manager, first), second

    first, second = asyncio.run(main())
    assert first.status == "succeeded"
    assert second.status == "cancelled"
    assert (tmp_path / "b").exists()


def test_the_log_keeps_absolute_offsets_when_it_drops_old_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs_module, "MAX_LOG_LINES", 10)
    job = Job(id="j", kind="create", name="x", prefix="/x", backend="conda")
    for i in range(25):
        job.log(f"line {i}")
    lines, offset = job.log_since(0)
    assert offset == 25
    assert lines == [f"line {i}" for i in range(15, 25)]
    assert job.log_since(20) == ([f"line {i}" for i in range(20, 25)], 25)
    assert job.log_since(99) == ([], 25)
    job.log("x" * 10_000)
    assert len(job.log_since(25)[0][0]) == jobs_module.MAX_LINE_CHARS


def test_shutdown_cancels_every_job_and_its_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process, "SIGINT_WAIT_S", 0.2)
    monkeypatch.setattr(process, "SIGTERM_WAIT_S", 0.2)
    pid_file = tmp_path / "pid"

    async def main() -> list[Job]:
        manager = JobManager()

        async def work(ctx: JobContext) -> str | None:
            await ctx.run([sys.executable, "-c", STUBBORN, str(pid_file)], on_stdout=len, on_stderr=len)
            return None

        jobs = [manager.submit("create", "a", str(tmp_path / "a"), "conda", work)]
        jobs.append(manager.submit("create", "b", str(tmp_path / "b"), "conda", work))
        await _until(lambda: pid_file.exists() and pid_file.read_text() != "")
        await manager.shutdown()
        return jobs

    jobs = asyncio.run(main())
    assert [j.status for j in jobs] == ["cancelled", "cancelled"]
    assert not alive(int(pid_file.read_text()))


def test_a_second_cancel_does_not_cut_the_signal_sequence_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A double DELETE (or a shutdown during a cancel) must still end the tool before its prefix is removed."""
    monkeypatch.setattr(process, "SIGINT_WAIT_S", 0.5)
    monkeypatch.setattr(process, "SIGTERM_WAIT_S", 0.5)
    pid_file = tmp_path / "pid"

    async def main() -> Job:
        manager = JobManager()

        async def work(ctx: JobContext) -> str | None:
            (tmp_path / "new").mkdir()
            await ctx.run([sys.executable, "-c", STUBBORN, str(pid_file)], on_stdout=len, on_stderr=len)
            return None

        job = manager.submit("create", "new", str(tmp_path / "new"), "conda", work)
        await _until(lambda: pid_file.exists() and pid_file.read_text() != "")
        first = asyncio.ensure_future(manager.cancel(job.id))
        await asyncio.sleep(0.1)  # the SIGINT is out, the wait for it running
        await manager.cancel(job.id)
        await first
        return job

    job = asyncio.run(main())
    assert job.status == "cancelled"
    assert not alive(int(pid_file.read_text()))
    assert not (tmp_path / "new").exists()


def test_a_grandchild_holding_the_pipes_does_not_keep_the_job_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "DRAIN_S", 0.3)
    pid_file = tmp_path / "grandchild"
    # The tool starts a background process that inherits its stdout, then exits at once.
    tool = (
        "import subprocess, sys; "
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); "
        f"open({str(pid_file)!r}, 'w').write(str(p.pid)); print('done')"
    )

    async def main() -> tuple[Job, float]:
        manager = JobManager()

        async def work(ctx: JobContext) -> str | None:
            out: list[bytes] = []
            code = await ctx.run([sys.executable, "-c", tool], on_stdout=out.append, on_stderr=len)
            ctx.log(b"".join(out).decode())
            assert code == 0
            return None

        started = time.monotonic()
        job = await _finished(manager, manager.submit("create", "x", str(tmp_path / "x"), "conda", work))
        return job, time.monotonic() - started

    job, seconds = asyncio.run(main())
    assert job.status == "succeeded"
    assert job.log_since(0)[0] == ["done"]
    assert seconds < 5
    assert not alive(int(pid_file.read_text()))

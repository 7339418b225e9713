"""Long-running changes to environments (create, update) as jobs: status, progress, a log, cancel.

One job runs at a time (creates are serialised, and so is every change to a prefix); a second request for a prefix
that a queued or running job targets is refused at submission, before any process starts. A job that fails or is
cancelled removes the prefix only if the job created it (it did not exist when the job started). Child processes
run in their own process group; cancel sends SIGINT, then SIGTERM, then SIGKILL to the group, with short waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.process import run_process, uncancellable

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
JobKind = Literal["create", "update"]

# What a job keeps of its log; older lines are dropped (the offsets stay absolute, so a client never re-reads).
MAX_LOG_LINES = 5000
MAX_LINE_CHARS = 2000
# How long finished jobs stay listed.
KEEP_FINISHED = 50


class JobConflict(Exception):
    """Another job already targets this prefix (409)."""


@dataclass
class Job:
    id: str
    kind: JobKind
    name: str
    prefix: str
    backend: str
    status: JobStatus = "queued"
    progress: float | None = None
    phase: str | None = None
    error: str = ""
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    environment_id: str | None = None
    existed_before: bool = False
    _lines: list[str] = field(default_factory=list)
    _dropped: int = 0

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")

    @property
    def log_size(self) -> int:
        return self._dropped + len(self._lines)

    def log(self, text: str) -> None:
        for line in text.splitlines() or [""]:
            self._lines.append(line[:MAX_LINE_CHARS])
        overflow = len(self._lines) - MAX_LOG_LINES
        if overflow > 0:
            del self._lines[:overflow]
            self._dropped += overflow

    def log_since(self, offset: int) -> tuple[list[str], int]:
        """Lines from absolute `offset` on (those still kept), and the offset to ask from next."""
        start = max(offset - self._dropped, 0)
        return self._lines[start:], self.log_size

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "prefix": self.prefix,
            "backend": self.backend,
            "status": self.status,
            "progress": self.progress,
            "phase": self.phase,
            "error": self.error,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "environment_id": self.environment_id,
            "log_size": self.log_size,
        }


class JobContext:
    """What a job's work function uses: report progress and log lines, run processes that cancel cleanly."""

    def __init__(self, job: Job, manager: JobManager) -> None:
        self.job = job
        self._manager = manager

    def progress(self, fraction: float | None, phase: str | None = None) -> None:
        if fraction is not None:
            # Never backwards: tools restart their own bars per phase.
            fraction = min(max(fraction, 0.0), 1.0)
            self.job.progress = max(self.job.progress or 0.0, fraction)
        if phase:
            self.job.phase = phase
        self._manager.changed(self.job)

    def log(self, text: str) -> None:
        self.job.log(text)
        self._manager.changed(self.job)

    async def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        on_stdout: Callable[[bytes], None],
        on_stderr: Callable[[bytes], None],
        terminal: bool = False,
    ) -> int:
        """Run `argv` (a list, never a shell) with the one process runner; the exit status. With `terminal`, its
        stdout is a pseudo-terminal (`run_process`'s `stdout_terminal`).

        Cancelling the calling task ends the whole group (SIGINT → SIGTERM → SIGKILL) before re-raising, and a
        second cancel (another DELETE, a shutdown) cannot cut that short and leave the tool writing into a prefix
        that is being removed.
        """
        code = await run_process(
            argv, env=env, cwd=cwd, on_stdout=on_stdout, on_stderr=on_stderr, stdout_terminal=terminal
        )
        assert code is not None  # no deadline: only a deadline leaves no exit status
        return code


Work = Callable[[JobContext], Awaitable[str | None]]


class JobManager:
    """Jobs of this server, in memory (a page reload finds them; a server restart does not)."""

    def __init__(self, on_change: Callable[[Job], None] | None = None) -> None:
        self._jobs: dict[str, Job] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._one_at_a_time = asyncio.Lock()
        self._on_change = on_change

    def list(self) -> list[Job]:
        return sorted(self._jobs.values(), key=lambda j: j.created)

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def busy_prefixes(self) -> set[str]:
        return {j.prefix for j in self._jobs.values() if j.active}

    def submit(self, kind: JobKind, name: str, prefix: str, backend: str, work: Work) -> Job:
        """Queue `work` for `prefix`; JobConflict when an active job targets it already.

        Synchronous on purpose: checking and registering happen with no await between them, so two requests for
        one prefix can never both pass.
        """
        if prefix in self.busy_prefixes():
            raise JobConflict(prefix)
        job = Job(id=secrets.token_urlsafe(9), kind=kind, name=name, prefix=prefix, backend=backend)
        self._jobs[job.id] = job
        self._forget_old()
        self._tasks[job.id] = asyncio.get_running_loop().create_task(self._run(job, work))
        return job

    async def cancel(self, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        task = self._tasks.get(job_id)
        if job is None:
            return None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if job.status == "queued":
            # Cancelled before its task first ran: `_run` never saw it.
            job.status = "cancelled"
            job.finished = time.time()
            job.log("cancelled")
            self._tasks.pop(job.id, None)
            self.changed(job)
        return job

    async def shutdown(self) -> None:
        """Cancel every job (ending its processes, removing what it created); used when the server stops."""
        await asyncio.gather(*(self.cancel(job_id) for job_id in list(self._tasks)))

    def changed(self, job: Job) -> None:
        if self._on_change is not None:
            self._on_change(job)

    async def _run(self, job: Job, work: Work) -> None:
        try:
            async with self._one_at_a_time:
                job.status = "running"
                job.started = time.time()
                job.existed_before = os.path.lexists(job.prefix)
                self.changed(job)
                job.environment_id = await work(JobContext(job, self))
                job.status = "succeeded"
                job.progress = 1.0
        except asyncio.CancelledError:
            job.status = "cancelled"
            job.log("cancelled")
            await uncancellable(self._remove_created(job))
            # Not re-raised: the task ends here, cancelled by us, and `cancel` is waiting for it.
        except Exception as err:  # a job's failure is its status, never the server's
            job.status = "failed"
            job.error = str(err) or type(err).__name__
            job.log(f"failed: {job.error}")
            await uncancellable(self._remove_created(job))
        finally:
            job.finished = time.time()
            self._tasks.pop(job.id, None)
            self.changed(job)

    async def _remove_created(self, job: Job) -> None:
        """Only what this job made: a prefix that existed before it is never removed."""
        started = job.started is not None  # a job cancelled while queued touched nothing
        if job.kind == "create" and started and not job.existed_before and os.path.lexists(job.prefix):
            # A CUDA environment is gigabytes of files: not on the event loop.
            await asyncio.to_thread(shutil.rmtree, job.prefix, True)
            job.log(f"removed the partial environment {job.prefix}")

    def _forget_old(self) -> None:
        finished = [j for j in self.list() if not j.active]
        for job in finished[: max(len(finished) - KEEP_FINISHED, 0)]:
            self._jobs.pop(job.id, None)


def jobs_json(jobs: Iterable[Job]) -> list[dict[str, Any]]:
    return [job.as_json() for job in jobs]

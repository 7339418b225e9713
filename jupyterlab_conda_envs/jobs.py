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
import signal
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .process_groups import end_process_group, signal_group, uncancellable

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
JobKind = Literal["create", "update"]

# What a job keeps of its log; older lines are dropped (the offsets stay absolute, so a client never re-reads).
MAX_LOG_LINES = 5000
MAX_LINE_CHARS = 2000
# Grace periods of a cancel, per signal.
SIGINT_WAIT = 3.0
SIGTERM_WAIT = 3.0
# How long the pipes are read after the tool exited, before its group is ended.
PIPE_DRAIN_WAIT = 2.0
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

    @contextlib.contextmanager
    def tracking(self, process: asyncio.subprocess.Process) -> Iterator[None]:
        """Held while `process` (started by this job, here or by a backend) runs: the last-resort kill at
        interpreter exit reaches its process group."""
        self._manager.track(self.job, process)
        try:
            yield
        finally:
            self._manager.untrack(self.job, process)

    async def run(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        on_stdout: Callable[[bytes], None],
        on_stderr: Callable[[bytes], None],
    ) -> int:
        """Run `argv` (a list, never a shell) in its own process group; the exit status.

        Cancelling the calling task ends the whole group (SIGINT → SIGTERM → SIGKILL) before re-raising.
        """
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
        with self.tracking(process):
            assert process.stdout is not None and process.stderr is not None
            pumps = asyncio.gather(_pump(process.stdout, on_stdout), _pump(process.stderr, on_stderr))
            try:
                # `process.wait()` itself waits for the pipes to close, and a grandchild (a post-link script, a pip
                # build) may hold them open after the tool exited: watch the exit status instead, read what is left
                # for a moment, then end the group, so the job cannot stay "running" forever.
                while process.returncode is None and not pumps.done():
                    await asyncio.wait({pumps}, timeout=0.1)
                if not pumps.done():
                    try:
                        await asyncio.wait_for(asyncio.shield(pumps), PIPE_DRAIN_WAIT)
                    except asyncio.TimeoutError:
                        signal_group(process.pid, signal.SIGKILL)
                        with contextlib.suppress(asyncio.TimeoutError):
                            await asyncio.wait_for(pumps, PIPE_DRAIN_WAIT)
                return await process.wait()
            except asyncio.CancelledError:
                # Shielded: a second cancel (another DELETE, a shutdown) must not cut the signal sequence short and
                # leave the tool writing into a prefix that is being removed.
                try:
                    await uncancellable(end_process_group(process, SIGINT_WAIT, SIGTERM_WAIT))
                finally:
                    pumps.cancel()
                raise


Work = Callable[[JobContext], Awaitable[str | None]]


class JobManager:
    """Jobs of this server, in memory (a page reload finds them; a server restart does not)."""

    def __init__(self, on_change: Callable[[Job], None] | None = None) -> None:
        self._jobs: dict[str, Job] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._processes: dict[str, set[asyncio.subprocess.Process]] = {}
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

    def kill_all_now(self) -> None:
        """Last resort at interpreter exit (no event loop): SIGKILL every tracked process group."""
        for processes in self._processes.values():
            for process in processes:
                signal_group(process.pid, signal.SIGKILL)

    def changed(self, job: Job) -> None:
        if self._on_change is not None:
            self._on_change(job)

    def track(self, job: Job, process: asyncio.subprocess.Process) -> None:
        self._processes.setdefault(job.id, set()).add(process)

    def untrack(self, job: Job, process: asyncio.subprocess.Process) -> None:
        self._processes.get(job.id, set()).discard(process)

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
            self._processes.pop(job.id, None)
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


async def _pump(stream: asyncio.StreamReader, sink: Callable[[bytes], None]) -> None:
    while True:
        chunk = await stream.read(65536)
        if not chunk:
            return
        sink(chunk)


def jobs_json(jobs: Iterable[Job]) -> list[dict[str, Any]]:
    return [job.as_json() for job in jobs]

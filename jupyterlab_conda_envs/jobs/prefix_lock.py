"""A lock per prefix across processes, held while a job changes an environment."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from .runner import JobContext


class PrefixBusy(RuntimeError):
    """Another process (another Jupyter server on the same home) is changing this prefix."""


@contextlib.contextmanager
def prefix_lock(ctx: JobContext, prefix: str) -> Iterator[None]:
    """Held while a job changes `prefix`, across processes: the job runner serialises one server's jobs, this keeps
    two servers sharing a home (JupyterHub named servers) from running two tools on one prefix.

    The lock file stays (a hidden file beside the environments, which discovery skips): removing it could let two
    processes lock two different files of one name.
    """
    folder = os.path.dirname(prefix)
    os.makedirs(folder, exist_ok=True)
    fd = os.open(
        os.path.join(folder, f".{os.path.basename(prefix)}.conda-envs.lock"),
        os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW,
        0o600,
    )
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Whatever is at the prefix is the other process's: the cleanup of this job must leave it.
            ctx.job.existed_before = True
            raise PrefixBusy(f"another Jupyter server is changing {prefix}; try again when it is done") from None
        yield
    finally:
        os.close(fd)

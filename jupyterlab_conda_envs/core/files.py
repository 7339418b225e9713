"""Reading small metadata files from environments that anyone may have written into.

Environments are other people's folders: a record or METADATA file may be huge, a FIFO that would block a worker
thread forever, or a symlink loop. Every metadata read goes through here.
"""

from __future__ import annotations

import os
import stat


class TooLarge(OSError):
    """The file is larger than the caller's limit; it was not read."""


def read_regular(path: str, limit: int, *, truncate: bool = False) -> bytes:
    """The bytes of a regular file, sized by fstat (asking `read()` for the limit would allocate all of it).

    Over `limit`: `TooLarge`, or with `truncate` the first `limit` bytes. Not a regular file: `OSError`.
    """
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer that never comes.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{os.path.basename(path)} is not a regular file")
        size = info.st_size
        if size > limit:
            if not truncate:
                raise TooLarge(f"larger than {limit} bytes")
            size = limit
        chunks = []
        remaining = size
        while remaining > 0:
            chunk = os.read(fd, remaining)
            if not chunk:
                break  # the file shrank while we read it; use what is there
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)

"""Serves the local channels on loopback and routes the upstream channel URLs to them.

rattler's HTTP client cannot fetch `file://` mirrors, but it can mirror an upstream URL to a local HTTP server.
Solving and installing through that mirror is what makes the installed records carry the real upstream
`channel` and `url` (`https://conda.anaconda.org/pytorch/linux-64/pytorch-2.1.0-....tar.bz2`-style), exactly
as an install from the real channel would, while nothing leaves the machine.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rattler.networking import Client, MirrorMiddleware

from .channel import upstream_url


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # thousands of package downloads would drown the build's own output


@contextmanager
def serve_channels(channels_root: Path, channels: Iterable[str]) -> Iterator[Client]:
    """A rattler client whose requests for `channels` are answered from `channels_root` on 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(channels_root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="fixture-channels", daemon=True)
    thread.start()
    try:
        local = f"http://127.0.0.1:{server.server_address[1]}"
        mirrors = {upstream_url(c): [f"{local}/{c}"] for c in channels}
        yield Client([MirrorMiddleware(mirrors)])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

"""Channels that hold real conda at a known point, so a test can cancel there without guessing with sleeps.

- Linking: a package whose post-link script (`bin/.<name>-post-link.sh`, run by conda after linking, conda/core/
  link.py `run_script`) writes its pid to a marker file, then sleeps. The marker's appearance is conda in its
  link phase.
- Solving: an HTTP channel (a thread in the test process) that answers nothing until released. conda asks it for
  repodata before it can solve; the first request is conda in its metadata/solve phase, held there. (A file://
  channel with a huge repodata does not hold it: 200,000 records add under a second, rattler parses lazily.)

The package is built with the project's own staging (`fixture_root.content.stage_package`) and rattler-build,
indexed by rattler, like fixture_root/channel.py does; that builder hands rattler-build a folder, which leaves out
hidden files, so the (hidden) post-link script is passed as an explicit file list here.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import rattler_build
from rattler.index import index_fs

from fixture_root.content import stage_package
from fixture_root.model import CondaPackage


def sleeper_channel(root: Path, marker: Path, seconds: int = 60) -> Path:
    """A file channel at `root` with `sleeper 1.0` (noarch) whose post-link script writes its pid to `marker`."""
    script = f'#!/bin/sh\necho $$ > "{marker}"\nsleep {seconds}\n'
    pkg = CondaPackage(
        "sleepy", "sleeper", "1.0", "0", subdir="noarch", noarch="generic",
        extra_files=(("bin/.sleeper-post-link.sh", script),),
    )  # fmt: skip
    stage = root.parent / (root.name + "-stage")
    stage_package(pkg, stage)
    for subdir in ("noarch", "linux-64"):
        (root / subdir).mkdir(parents=True, exist_ok=True)
    rattler_build.assemble_package(
        pkg.name, pkg.version, pkg.subdir, pkg.build, root / "noarch",
        files=rattler_build.collect_files(stage, include_hidden=True),
        noarch=pkg.noarch, compression_level=1, detect_prefix=False,
    )  # fmt: skip
    asyncio.run(index_fs(root, write_zst=False, write_shards=False))
    return root


class _Holder(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server = self.server
        assert isinstance(server, _HoldingServer)
        server.requests.append(self.path)
        server.asked.set()
        server.release.wait(60)
        self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _HoldingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Holder)
        self.requests: list[str] = []
        self.asked = threading.Event()
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/held"


@contextmanager
def holding_channel() -> Iterator[_HoldingServer]:
    """A channel URL whose every request waits (at most 60 s) until `release` is set, then 404s."""
    server = _HoldingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()

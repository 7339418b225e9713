"""Channel names as conda maps them to URLs, and the `conda-meta/history` block conda would have written.

The rattler backend solves from URLs, and the environments it makes must read as conda's own: history export,
discovery and kernels find the channels and specs in `conda-meta/history`. The child process that solves imports
this module too (for the channel names it logs), so it keeps to the standard library, `core.urls` and `events`.
"""

from __future__ import annotations

import importlib.metadata
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ...core.urls import mask_text
from .events import RattlerCreateError

# Anaconda's channels that conda names `defaults` (`conda/base/constants.py`, DEFAULT_CHANNELS_UNIX).
DEFAULTS_URLS = ("https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r")
_ANACONDA_REPO = "https://repo.anaconda.com"
_ANACONDA_NAMES = frozenset({"pkgs/main", "pkgs/r", "pkgs/msys2"})
CHANNEL_ALIAS = "https://conda.anaconda.org"


def channel_urls(channels: Sequence[str]) -> list[str]:
    """The URLs to solve from, as conda maps the names of an environment.yml's `channels:`.

    `defaults` is Anaconda's pkgs/main and pkgs/r, `pkgs/main`-style names live on repo.anaconda.com, any other name
    under the channel alias; URLs are kept as written and absolute paths become `file://` URLs. `nodefaults` only
    tells conda not to append the `.condarc` channels, which this backend never does.
    """
    urls: list[str] = []
    for raw in channels:
        channel = raw.strip()
        if channel in ("", "nodefaults"):
            continue
        if channel == "defaults":
            found: Sequence[str] = DEFAULTS_URLS
        elif "://" in channel:
            found = (channel.rstrip("/"),)
        elif channel.startswith(("/", "~")):
            found = (Path(os.path.expanduser(channel)).as_uri(),)
        elif channel.startswith(("./", "../")) or channel in (".", ".."):
            raise RattlerCreateError(f"Channel {channel!r}: a relative path cannot be used; give an absolute path.")
        elif channel in _ANACONDA_NAMES:
            found = (f"{_ANACONDA_REPO}/{channel}",)
        else:
            found = (f"{CHANNEL_ALIAS}/{channel}",)
        urls.extend(u for u in found if u not in urls)
    if not urls:
        raise RattlerCreateError("The environment names no channel to install from.")
    return urls


def history_channel(url: str) -> str:
    """A record's channel as conda's history names it (`Channel.canonical_name`): `conda-forge`, `defaults`, or
    the URL without credentials."""
    try:
        parts = urlsplit(url.rstrip("/"))
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return mask_text(url.rstrip("/"))
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > 2 and segments[0] == "t":  # an anaconda.org token
        segments = segments[2:]
    path = "/".join(segments)
    if parts.scheme == "https" and host == "conda.anaconda.org" and path:
        return path
    if parts.scheme == "https" and host == "repo.anaconda.com" and path in _ANACONDA_NAMES:
        return "defaults"
    netloc = f"{host}:{port}" if port is not None else host
    return urlunsplit((parts.scheme, netloc, "/" + path if path else "", "", ""))


@dataclass(frozen=True)
class SolvedPackage:
    channel: str
    subdir: str
    name: str
    version: str
    build: str

    @property
    def dist(self) -> str:
        return f"{history_channel(self.channel)}/{self.subdir}::{self.name}-{self.version}-{self.build}"


def history_block(records: Sequence[SolvedPackage], specs: Sequence[str], cmd: str, when: float | None = None) -> str:
    """The block `conda create` appends to `conda-meta/history` (conda/history.py), with `# rattler` where conda
    writes its own version."""
    try:
        tool = f"# rattler version: {importlib.metadata.version('py-rattler')}"
    except importlib.metadata.PackageNotFoundError:
        tool = "# rattler"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(when))
    one_line = " ".join(cmd.split())
    return "\n".join(
        [
            f"==> {stamp} <==",
            f"# cmd: {one_line}",
            tool,
            *sorted(f"+{r.dist}" for r in records),
            f"# update specs: {[str(s) for s in specs]!r}",
            "",
        ]
    )

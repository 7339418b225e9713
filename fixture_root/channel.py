"""Builds the local channels: one folder per real channel name, packages assembled by rattler-build, indexed by rattler.

Each channel folder mirrors one upstream channel (`conda-forge`, `pytorch`, `nvidia`, `pkgs/main`), so that solving
through a mirror (see `mirror.py`) leaves the upstream URL in every installed record, as a real install would.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Iterable
from pathlib import Path

import rattler_build
from rattler.index import index_fs

from .content import stage_package
from .model import CondaPackage

# Channels that do not live under conda.anaconda.org. conda calls pkgs/main part of `defaults`.
_UPSTREAMS = {
    "pkgs/main": "https://repo.anaconda.com/pkgs/main",
    "pkgs/r": "https://repo.anaconda.com/pkgs/r",
}
_SUBDIRS = ("linux-64", "noarch")
# A fixed build time keeps archives, and so sha256 sums, identical from one build to the next.
_TIMESTAMP = datetime.datetime(2023, 11, 20, 12, 0, 0, tzinfo=datetime.timezone.utc)


def upstream_url(channel: str) -> str:
    """The URL conda would have fetched `channel` from (no trailing slash)."""
    return _UPSTREAMS.get(channel, f"https://conda.anaconda.org/{channel}")


def channel_dir(channels_root: Path, channel: str) -> Path:
    return channels_root.joinpath(*channel.split("/"))


def channel_from_url(url: str) -> str:
    """The canonical channel name of a record's `channel` URL (inverse of `upstream_url`)."""
    url = url.rstrip("/")
    for name, upstream in _UPSTREAMS.items():
        if url == upstream:
            return name
    return url.rsplit("/", 1)[-1]


async def build_channels(packages: Iterable[CondaPackage], channels_root: Path, stage_root: Path) -> int:
    """Assemble every package into its channel folder and index all channels; returns the number of packages."""
    unique = {p.key: p for p in packages}
    channels = sorted({p.channel for p in unique.values()})
    for channel in channels:
        for subdir in _SUBDIRS:
            channel_dir(channels_root, channel).joinpath(subdir).mkdir(parents=True, exist_ok=True)
    for i, pkg in enumerate(sorted(unique.values(), key=lambda p: p.key)):
        stage = stage_root / f"{i:05d}"
        has_files = stage_package(pkg, stage)
        out = channel_dir(channels_root, pkg.channel) / pkg.subdir
        rattler_build.assemble_package(
            pkg.name,
            pkg.version,
            pkg.subdir,
            pkg.build,
            out,
            files_dir=stage if has_files else None,
            depends=list(pkg.depends),
            constrains=list(pkg.constrains),
            build_number=pkg.build_number,
            noarch=pkg.noarch,
            summary=pkg.summary or None,
            license=pkg.license or None,
            timestamp=_TIMESTAMP,
            # Tiny archives: speed matters more than size, and one thread each is kinder to a 2-core machine.
            compression_level=1,
            compression_threads=1,
            detect_prefix=False,
        )
        if has_files:
            shutil.rmtree(stage)
    for channel in channels:
        root = channel_dir(channels_root, channel)
        await index_fs(root, write_zst=False, write_shards=False)
        shutil.rmtree(root / ".tmp", ignore_errors=True)  # the indexer's scratch folder
    return len(unique)

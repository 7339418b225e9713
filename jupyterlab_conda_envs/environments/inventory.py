"""What an environment holds: a cheap summary for the listing and the full package list, cached per prefix.

Cache entries are keyed by the mtimes of `conda-meta/`, `conda-meta/history` and the site-packages folders: conda
rewrites the first two on every transaction and pip changes the last, so a stale entry is never served.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..core.names import conda_to_pypi
from ..core.urls import channel_naming_generation
from .package import Conflict, Package, RecordProblem
from .pip_dists import (
    PipDist,
    editable_links,
    folder_key,
    installer_of,
    list_dist_folders,
    read_dist,
    site_packages_dirs,
)
from .records import RecordError, RecordFile, list_record_files, owned_folders, read_raw, read_record


@dataclass
class Summary:
    python_version: str | None
    conda_count: int
    pip_count: int
    has_ipykernel: bool
    writable: bool
    errors: list[str]
    # Changes whenever conda-meta/ or site-packages changes, so a client knows when its package list is stale.
    revision: str = ""


@dataclass
class Packages:
    packages: list[Package]
    errors: list[RecordProblem]


Signature = tuple[int, ...]
_T = TypeVar("_T")


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


class _Ownership:
    """Decides which dist-info folders belong to conda packages, reading only the records it must."""

    def __init__(self, conda_meta: str, by_pypi_name: dict[str, list[RecordFile]]) -> None:
        self.conda_meta = conda_meta
        self.by_pypi_name = by_pypi_name

    def is_conda(self, folder: str, installer: str | None) -> bool:
        if installer == "conda":
            return True
        for rf in self.by_pypi_name.get(folder_key(folder), []):
            try:
                if owned_folders(read_raw(self.conda_meta, rf), [folder]):
                    return True
            except RecordError:
                continue
        return False


@dataclass
class _Layout:
    """What a read starts from: the record files, where site-packages is, and why conda-meta could not be read."""

    files: list[RecordFile]
    sp_dirs: list[str]
    error: str | None


def _layout(prefix: str) -> _Layout:
    error = None
    try:
        files = list_record_files(os.path.join(prefix, "conda-meta"))
    except OSError as err:
        files, error = [], f"cannot read conda-meta: {err.strerror or err}"
    python_version = next((rf.version for rf in files if rf.name == "python"), None)
    return _Layout(files, site_packages_dirs(prefix, python_version), error)


class Inventory:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._summaries: dict[str, tuple[Signature, Summary, list[str]]] = {}
        self._packages: dict[str, tuple[Signature, Packages, list[str]]] = {}

    def _signature(self, prefix: str, sp_dirs: list[str]) -> Signature:
        meta = os.path.join(prefix, "conda-meta")
        # Channel names are part of what was read: a changed `channel_alias` renames every record's channel.
        naming = channel_naming_generation()
        return (naming, _mtime(meta), _mtime(os.path.join(meta, "history")), *(_mtime(d) for d in sp_dirs))

    def retain(self, prefixes: set[str]) -> None:
        """Drop cache entries of every prefix not in `prefixes`."""
        with self._lock:
            for cache in (self._summaries, self._packages):
                for prefix in set(cache) - prefixes:
                    del cache[prefix]

    def summary(self, prefix: str) -> Summary:
        return self._get(self._summaries, prefix, _read_summary)

    def packages(self, prefix: str) -> Packages:
        return self._get(self._packages, prefix, _read_packages)

    def _get(
        self,
        cache: dict[str, tuple[Signature, _T, list[str]]],
        prefix: str,
        read: Callable[[str, _Layout, Signature], _T],
    ) -> _T:
        entry = cache.get(prefix) if self.enabled else None
        if entry is not None and entry[0] == self._signature(prefix, entry[2]):
            return entry[1]
        layout = _layout(prefix)
        before = self._signature(prefix, layout.sp_dirs)
        value = read(prefix, layout, before)
        # The signature was taken before reading; if anything changed during the read, nothing is cached, so the
        # next request reads again instead of serving a half-old result under the new mtimes.
        if self.enabled and before == self._signature(prefix, layout.sp_dirs):
            with self._lock:
                cache[prefix] = (before, value, layout.sp_dirs)
        return value


def _revision(signature: Signature) -> str:
    return hashlib.blake2b(repr(signature).encode("ascii"), digest_size=8).hexdigest()


def _read_summary(prefix: str, layout: _Layout, signature: Signature) -> Summary:
    meta = os.path.join(prefix, "conda-meta")
    by_pypi_name: dict[str, list[RecordFile]] = {}
    for rf in layout.files:
        by_pypi_name.setdefault(conda_to_pypi(rf.name), []).append(rf)
    ownership = _Ownership(meta, by_pypi_name)
    pip_names: set[str] = set()
    for sp in layout.sp_dirs:
        for folder in list_dist_folders(sp):
            if not ownership.is_conda(folder, installer_of(sp, folder)):
                pip_names.add(folder_key(folder))
    return Summary(
        python_version=next((rf.version for rf in layout.files if rf.name == "python"), None),
        conda_count=len(layout.files),
        pip_count=len(pip_names),
        has_ipykernel=any(rf.name == "ipykernel" for rf in layout.files) or "ipykernel" in pip_names,
        writable=os.access(meta, os.W_OK),
        errors=[layout.error] if layout.error else [],
        revision=_revision(signature),
    )


def _read_packages(prefix: str, layout: _Layout, _signature: Signature) -> Packages:
    meta = os.path.join(prefix, "conda-meta")
    problems: list[RecordProblem] = []
    if layout.error:
        problems.append(RecordProblem("conda-meta", layout.error))
    files, sp_dirs = layout.files, layout.sp_dirs

    folders_by_key: dict[str, list[tuple[str, str]]] = {}
    for sp in sp_dirs:
        for folder in list_dist_folders(sp):
            folders_by_key.setdefault(folder_key(folder), []).append((sp, folder))

    packages: list[Package] = []
    owned: set[str] = set()
    for rf in files:
        candidates = [folder for _sp, folder in folders_by_key.get(conda_to_pypi(rf.name), [])]
        try:
            package, installed = read_record(meta, rf, dist_folders=candidates)
        except RecordError as err:
            problems.append(RecordProblem(f"conda-meta/{rf.filename}", str(err)))
            continue
        except Exception as err:  # one strange record must not cost the user the whole list
            problems.append(RecordProblem(f"conda-meta/{rf.filename}", f"unreadable record: {err!r}"))
            continue
        packages.append(package)
        owned |= installed

    legacy: dict[str, dict[str, str | None]] = {sp: editable_links(sp) for sp in sp_dirs}
    for entries in folders_by_key.values():
        for sp, folder in entries:
            if folder in owned:
                continue
            installer = installer_of(sp, folder)
            # Packages whose conda and PyPI names differ more than our table knows still say INSTALLER: conda.
            if installer != "conda":
                packages.append(_from_pip(read_dist(sp, folder, installer, legacy[sp])))

    _mark_conflicts(packages)
    packages.sort(key=lambda p: (p.normalized_name, p.source != "conda", p.version))
    return Packages(packages, problems)


def _from_pip(dist: PipDist) -> Package:
    return Package(
        name=dist.name,
        normalized_name=dist.normalized_name,
        version=dist.version,
        build="pypi_0",
        build_number=0,
        channel="pypi",
        subdir="",
        depends=dist.requires_dist,
        constrains=[],
        size=None,
        url=None,
        requested_spec=None,
        source="pypi",
        installer=dist.installer,
        editable=dist.editable,
        direct_url=dist.direct_url,
    )


def _mark_conflicts(packages: list[Package]) -> None:
    """A pip distribution whose PyPI name matches a conda package shadows it: Python imports pip's copy."""
    conda_by_name: dict[str, list[Package]] = {}
    for p in packages:
        if p.source == "conda":
            conda_by_name.setdefault(conda_to_pypi(p.name), []).append(p)
    for p in packages:
        if p.source != "pypi":
            continue
        for c in conda_by_name.get(p.normalized_name, []):
            p.conflicts.append(Conflict(c.name, c.version, "conda"))
            c.conflicts.append(Conflict(p.name, p.version, "pypi"))

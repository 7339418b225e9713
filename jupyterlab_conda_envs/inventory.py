"""What an environment holds: a cheap summary for the listing and the full package list, cached per prefix.

Cache entries are keyed by the mtimes of `conda-meta/`, `conda-meta/history` and the site-packages folders: conda
rewrites the first two on every transaction and pip changes the last, so a stale entry is never served.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Literal

from .conda_records import CondaRecord, RecordError, RecordFile, list_record_files, owned_folders, read_raw, read_record
from .names import conda_to_pypi, normalize
from .pip_dists import PipDist, editable_links, installer_of, list_dist_folders, read_dist, site_packages_dirs


@dataclass
class Conflict:
    name: str
    version: str
    source: Literal["conda", "pypi"]


@dataclass
class Package:
    name: str
    normalized_name: str
    version: str
    build: str
    build_number: int
    channel: str
    subdir: str
    depends: list[str]
    constrains: list[str]
    size: int | None
    url: str | None
    requested_spec: str | None
    source: Literal["conda", "pypi"]
    installer: str | None
    editable: bool
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class RecordProblem:
    file: str
    message: str


@dataclass
class Summary:
    python_version: str | None
    conda_count: int
    pip_count: int
    has_ipykernel: bool
    writable: bool
    errors: list[str]


@dataclass
class Packages:
    packages: list[Package]
    errors: list[RecordProblem]


Signature = tuple[int, ...]


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


class _Ownership:
    """Decides which dist-info folders belong to conda packages, reading only the records it must."""

    def __init__(self, conda_meta: str, by_pypi_name: dict[str, RecordFile]) -> None:
        self.conda_meta = conda_meta
        self.by_pypi_name = by_pypi_name

    def is_conda(self, folder: str, installer: str | None) -> bool:
        if installer == "conda":
            return True
        rf = self.by_pypi_name.get(_folder_key(folder))
        if rf is None:
            return False
        try:
            return bool(owned_folders(read_raw(self.conda_meta, rf), [folder]))
        except RecordError:
            return False


def _folder_key(folder: str) -> str:
    return normalize(folder.rsplit(".", 1)[0].split("-", 1)[0])


class Inventory:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._lock = threading.Lock()
        self._summaries: dict[str, tuple[Signature, Summary, list[str]]] = {}
        self._packages: dict[str, tuple[Signature, Packages, list[str]]] = {}

    def clear(self) -> None:
        with self._lock:
            self._summaries.clear()
            self._packages.clear()

    def _signature(self, prefix: str, sp_dirs: list[str]) -> Signature:
        meta = os.path.join(prefix, "conda-meta")
        return (_mtime(meta), _mtime(os.path.join(meta, "history")), *(_mtime(d) for d in sp_dirs))

    def summary(self, prefix: str) -> Summary:
        if self.enabled:
            cached = self._summaries.get(prefix)
            if cached is not None and cached[0] == self._signature(prefix, cached[2]):
                return cached[1]
        summary, sp_dirs = _read_summary(prefix)
        if self.enabled:
            with self._lock:
                self._summaries[prefix] = (self._signature(prefix, sp_dirs), summary, sp_dirs)
        return summary

    def packages(self, prefix: str) -> Packages:
        if self.enabled:
            cached = self._packages.get(prefix)
            if cached is not None and cached[0] == self._signature(prefix, cached[2]):
                return cached[1]
        packages, sp_dirs = _read_packages(prefix)
        if self.enabled:
            with self._lock:
                self._packages[prefix] = (self._signature(prefix, sp_dirs), packages, sp_dirs)
        return packages


def _python_version(files: list[RecordFile]) -> str | None:
    for rf in files:
        if rf.name == "python":
            return rf.version
    return None


def _read_summary(prefix: str) -> tuple[Summary, list[str]]:
    meta = os.path.join(prefix, "conda-meta")
    errors: list[str] = []
    try:
        files = list_record_files(meta)
    except OSError as err:
        errors.append(f"cannot read conda-meta: {err.strerror or err}")
        files = []
    python_version = _python_version(files)
    sp_dirs = site_packages_dirs(prefix, python_version)
    ownership = _Ownership(meta, {conda_to_pypi(rf.name): rf for rf in files})
    pip_names: set[str] = set()
    for sp in sp_dirs:
        for folder in list_dist_folders(sp):
            if not ownership.is_conda(folder, installer_of(sp, folder)):
                pip_names.add(_folder_key(folder))
    summary = Summary(
        python_version=python_version,
        conda_count=len(files),
        pip_count=len(pip_names),
        has_ipykernel=any(rf.name == "ipykernel" for rf in files) or "ipykernel" in pip_names,
        writable=os.access(meta, os.W_OK),
        errors=errors,
    )
    return summary, sp_dirs


def _read_packages(prefix: str) -> tuple[Packages, list[str]]:
    meta = os.path.join(prefix, "conda-meta")
    problems: list[RecordProblem] = []
    try:
        files = list_record_files(meta)
    except OSError as err:
        return Packages([], [RecordProblem("conda-meta", f"cannot read: {err.strerror or err}")]), []
    python_version = _python_version(files)
    sp_dirs = site_packages_dirs(prefix, python_version)

    folders_by_key: dict[str, list[tuple[str, str]]] = {}
    for sp in sp_dirs:
        for folder in list_dist_folders(sp):
            folders_by_key.setdefault(_folder_key(folder), []).append((sp, folder))

    conda_records: list[CondaRecord] = []
    owned: set[str] = set()
    for rf in files:
        candidates = [folder for _sp, folder in folders_by_key.get(conda_to_pypi(rf.name), [])]
        try:
            record = read_record(meta, rf, dist_folders=candidates)
        except RecordError as err:
            problems.append(RecordProblem(f"conda-meta/{rf.filename}", str(err)))
            continue
        conda_records.append(record)
        owned |= record.dist_info_dirs

    legacy: dict[str, set[str]] = {sp: editable_links(sp) for sp in sp_dirs}
    pip_dists: list[PipDist] = []
    for entries in folders_by_key.values():
        for sp, folder in entries:
            if folder in owned:
                continue
            installer = installer_of(sp, folder)
            # Packages whose conda and PyPI names differ more than our table knows still say INSTALLER: conda.
            if installer != "conda":
                pip_dists.append(read_dist(sp, folder, installer, legacy[sp]))

    packages = [_from_conda(rec) for rec in conda_records] + [_from_pip(d) for d in pip_dists]
    _mark_conflicts(packages)
    packages.sort(key=lambda p: (p.normalized_name, p.source != "conda", p.version))
    return Packages(packages, problems), sp_dirs


def _from_conda(rec: CondaRecord) -> Package:
    return Package(
        name=rec.name,
        normalized_name=normalize(rec.name),
        version=rec.version,
        build=rec.build,
        build_number=rec.build_number,
        channel=rec.channel,
        subdir=rec.subdir,
        depends=rec.depends,
        constrains=rec.constrains,
        size=rec.size,
        url=rec.url,
        requested_spec=rec.requested_spec,
        source="conda",
        installer=None,
        editable=False,
    )


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

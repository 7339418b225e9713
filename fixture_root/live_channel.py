"""The `live` channel: conda packages that really run on this machine, for environments the extension creates.

The other channels hold placeholders (a `python` that exits 127), which is all the discovery tests need. An
environment created *by the extension* from `live` must run a kernel, so here:

- `python` is the host's base interpreter, copied (as `venv --copies` does) next to a `pyvenv.cfg` that points
  `home` at the original: the copy then runs with venv semantics (sys.prefix is the new environment, the standard
  library comes from the host). A copy linked to the host's libpython by an absolute path (pyenv, Debian) runs as
  it is; one that finds libpython relative to itself (`$ORIGIN/../lib`, python-build-standalone) gets a copy of the
  library beside it. The staged interpreter is run once before it is packaged.
- every other package is one Python distribution of the closure of ipykernel and pip *as installed in the running
  interpreter's site-packages*, repackaged with the versions and files found there (rattler-build reads them from
  site-packages; only the rewritten dist-info files are staged). `pip` is in it because the extension's solve adds
  pip to python (`add_pip_as_python_dependency`).

Nothing else in the fixture solves from this channel. It is rebuilt only when its digest (host interpreter, the
distributions' names and versions, this file) changes.
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import rattler
import rattler_build
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from rattler.index import index_fs

NAME = "live"
BUILD = "live_0"
# The copied interpreter runs only here, so the packages are for this platform.
SUBDIR = str(rattler.Platform.current())
ROOTS = ("ipykernel", "pip")
# Same fixed build time as channel.py: identical inputs give identical archives (and sha256 sums).
_TIMESTAMP = datetime.datetime(2023, 11, 20, 12, 0, 0, tzinfo=datetime.timezone.utc)
_DIGEST = ".digest"
# Dist-info files a conda-built package does not carry (REQUESTED, direct_url.json) or carries rewritten.
_DROPPED = frozenset({"REQUESTED", "direct_url.json"})
_REWRITTEN = frozenset({"INSTALLER", "RECORD"})


@dataclass(frozen=True)
class LiveDist:
    """One installed distribution, as the conda package it becomes."""

    name: str  # canonical PyPI name, also the conda package name
    version: str
    depends: tuple[str, ...]  # canonical names of its requirements that apply here
    dist_info: str  # the `<name>-<version>.dist-info` folder name in site-packages
    site: str  # the site-packages folder it is installed in


def host_python() -> tuple[Path, str]:
    """The real file of the running interpreter's base executable (not a venv's link to it), and its version."""
    base = getattr(sys, "_base_executable", None) or sys.executable
    return Path(os.path.realpath(str(base))), platform.python_version()


def _xy(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _site_dirs() -> list[Path]:
    paths = sysconfig.get_paths()  # of the running interpreter: a venv's own site-packages
    return list(dict.fromkeys(Path(paths[k]) for k in ("purelib", "platlib")))


def _dist_info(dist: importlib.metadata.Distribution) -> str:
    for entry in dist.files or ():
        top = PurePosixPath(str(entry)).parts[0]
        if top.endswith(".dist-info"):
            return top
    raise RuntimeError(f"{dist.metadata['Name']}: installed without a dist-info RECORD; it cannot be repackaged")


def closure(roots: tuple[str, ...] = ROOTS) -> list[LiveDist]:
    """`roots` and everything they require on this host (markers evaluated here, no extras), sorted by name."""
    installed: dict[str, tuple[importlib.metadata.Distribution, Path]] = {}
    for site in _site_dirs():
        for dist in importlib.metadata.distributions(path=[str(site)]):
            installed.setdefault(canonicalize_name(dist.metadata["Name"]), (dist, site))
    found: dict[str, LiveDist] = {}
    todo: list[str] = [canonicalize_name(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        if name not in installed:
            raise RuntimeError(f"{name} is required by the live channel but not installed in {_site_dirs()[0]}")
        dist, site = installed[name]
        depends: list[str] = []
        for line in dist.requires or ():
            req = Requirement(line)
            # `extra` must be given: a marker naming it fails to evaluate otherwise. "" selects no extra.
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                depends.append(canonicalize_name(req.name))
        unique = tuple(sorted(set(depends)))
        found[name] = LiveDist(name, dist.version, unique, _dist_info(dist), str(site))
        todo.extend(unique)
    return sorted(found.values(), key=lambda d: d.name)


def package_versions() -> list[tuple[str, str]]:
    """(name, version) of every package the channel holds, `python` first."""
    return [("python", host_python()[1]), *((d.name, d.version) for d in closure())]


def live_digest(dists: list[LiveDist] | None = None) -> str:
    """What the channel is built from; a change rebuilds it (and, through catalogue_hash, the fixture)."""
    exe, version = host_python()
    parts = [
        str(exe),
        version,
        [(d.name, d.version) for d in dists or closure()],
        Path(__file__).read_text(encoding="utf-8"),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def live_dir(channels_root: Path) -> Path:
    return channels_root / NAME


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def _stage_python(version: str, exe: Path, stage: Path) -> None:
    xy = _xy(version)
    (stage / "bin").mkdir(parents=True)
    # A copy, not a link: a conda package holds files, and the prefix must not depend on the stage.
    shutil.copy2(exe, stage / "bin" / f"python{xy}")
    for link in ("python", "python3"):
        (stage / "bin" / link).symlink_to(f"python{xy}")
    # What `python -m venv --copies` writes: the copied binary finds its standard library through `home`.
    (stage / "pyvenv.cfg").write_text(
        f"home = {exe.parent}\ninclude-system-site-packages = false\nversion = {version}\n", encoding="utf-8"
    )
    site = stage / "lib" / f"python{xy}" / "site-packages"
    site.mkdir(parents=True)
    # A conda package holds only files: without one, site-packages would not exist in the new environment.
    (site / "README.txt").write_text(
        "This directory exists so that 3rd party packages can be installed here.\n", encoding="utf-8"
    )
    if _staged_runs(stage, xy):
        return
    soname = sysconfig.get_config_var("INSTSONAME")
    libdir = sysconfig.get_config_var("LIBDIR")
    if sysconfig.get_config_var("Py_ENABLE_SHARED") and soname and libdir:
        # Found relative to the binary (`$ORIGIN/../lib`): the copy needs the library beside it.
        (stage / "lib").mkdir(exist_ok=True)
        shutil.copy2(Path(libdir, soname), stage / "lib" / soname)
        if _staged_runs(stage, xy):
            return
    raise RuntimeError(f"the copy of {exe} does not run from {stage}; the live channel cannot be built here")


def _staged_runs(stage: Path, xy: str) -> bool:
    """Whether the staged interpreter starts, with its standard library, as the environment's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH")}
    probe = [str(stage / "bin" / f"python{xy}"), "-I", "-c", "import encodings, sys; print(sys.prefix)"]
    proc = subprocess.run(probe, env=env, capture_output=True, text=True, check=False, timeout=60)
    return proc.returncode == 0 and os.path.realpath(proc.stdout.strip()) == os.path.realpath(stage)


def _dist_files(dist: LiveDist, xy: str, stage: Path) -> list[rattler_build.FileEntry]:
    """The distribution's installed files, mapped into the package as `lib/pythonX.Y/site-packages/...`.

    Files outside site-packages (`../../../bin/...` scripts, data files) and caches are left out; the dist-info's
    INSTALLER says `conda` and its RECORD lists what the package holds, as for a conda-forge build.
    """
    installed = importlib.metadata.Distribution.at(Path(dist.site) / dist.dist_info)
    target = PurePosixPath("lib", f"python{xy}", "site-packages")
    entries: list[rattler_build.FileEntry] = []
    rows: list[tuple[str, str, str]] = []
    for item in installed.files or ():
        rel = PurePosixPath(str(item))
        if rel.parts[0] == ".." or "__pycache__" in rel.parts:
            continue
        in_info = rel.parts[0] == dist.dist_info and len(rel.parts) == 2
        if in_info and (rel.name in _DROPPED or rel.name in _REWRITTEN):
            continue
        source = Path(dist.site, *rel.parts)
        if not source.is_file():
            continue  # listed but not (or no longer) there, as RECORDs of some installers are
        entries.append(rattler_build.FileEntry.from_paths(source, str(target / rel)))
        rows.append(
            (
                str(rel),
                item.hash.mode + "=" + item.hash.value if item.hash else "",
                "" if item.size is None else str(item.size),
            )
        )
    info = stage / dist.dist_info
    info.mkdir(parents=True)
    installer = b"conda\n"
    (info / "INSTALLER").write_bytes(installer)
    rows.append((f"{dist.dist_info}/INSTALLER", _record_hash(installer), str(len(installer))))
    rows.append((f"{dist.dist_info}/RECORD", "", ""))
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(sorted(rows))
    (info / "RECORD").write_text(text.getvalue(), encoding="utf-8")
    for name in ("INSTALLER", "RECORD"):
        entries.append(rattler_build.FileEntry.from_paths(info / name, str(target / dist.dist_info / name)))
    return entries


def _assemble(
    name: str,
    version: str,
    out: Path,
    depends: list[str],
    summary: str,
    *,
    files_dir: Path | None = None,
    files: list[rattler_build.FileEntry] | None = None,
) -> None:
    rattler_build.assemble_package(
        name,
        version,
        SUBDIR,
        BUILD,
        out,
        files_dir=files_dir,
        files=files,
        depends=depends,
        summary=summary,
        timestamp=_TIMESTAMP,
        # Megabytes of Python files: level 1 keeps the build fast, one thread each is kinder to a 2-core machine.
        compression_level=1,
        compression_threads=1,
        # Nothing here embeds a build prefix; scanning tens of megabytes for one would only cost time.
        detect_prefix=False,
    )


async def build_live_channel(channels_root: Path, stage_root: Path) -> int | None:
    """Build `channels_root/live` unless its digest is unchanged; the number of packages built, None if reused."""
    root = live_dir(channels_root)
    dists = closure()
    digest = live_digest(dists)
    stamp = root / _DIGEST
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return None
    shutil.rmtree(root, ignore_errors=True)
    out = root / SUBDIR
    out.mkdir(parents=True)
    (root / "noarch").mkdir()  # solvers read noarch of every channel; an empty one must exist
    exe, version = host_python()
    xy = _xy(version)
    stage = stage_root / NAME
    shutil.rmtree(stage, ignore_errors=True)
    _stage_python(version, exe, stage / "python")
    _assemble(
        "python", version, out, [], f"The host's Python {version}, as a venv-style copy", files_dir=stage / "python"
    )
    pin = f"python {xy}.*"
    for dist in dists:
        files = _dist_files(dist, xy, stage / dist.name)
        summary = f"{dist.name} {dist.version} as installed in {dist.site}"
        _assemble(dist.name, dist.version, out, [pin, *dist.depends], summary, files=files)
    shutil.rmtree(stage)
    await index_fs(root, write_zst=False, write_shards=False)
    shutil.rmtree(root / ".tmp", ignore_errors=True)  # the indexer's scratch folder
    stamp.write_text(digest, encoding="utf-8")  # last: a half-built channel has no stamp and is rebuilt
    return 1 + len(dists)

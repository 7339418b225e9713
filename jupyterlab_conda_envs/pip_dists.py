"""Python distributions in an environment's site-packages (`*.dist-info`, `*.egg-info`).

Conda-built Python packages also carry dist-info folders; those are marked `INSTALLER: conda` or listed in a conda
record's files. Everything else was put there by pip (or uv, ...) and is what `conda list` shows as `pypi`.
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass, field

from .files import read_regular
from .names import normalize

# METADATA headers end at the first blank line; the long description after it can be megabytes.
_MAX_HEADER_BYTES = 256 * 1024


@dataclass
class PipDist:
    folder: str
    name: str
    version: str
    installer: str | None
    editable: bool = False
    requires_dist: list[str] = field(default_factory=list)

    @property
    def normalized_name(self) -> str:
        return normalize(self.name)


def site_packages_dirs(prefix: str, python_version: str | None) -> list[str]:
    """Where an environment's Python looks for packages, most likely first."""
    dirs: list[str] = []
    if python_version:
        major_minor = ".".join(python_version.split(".")[:2])
        for suffix in ("", "t"):
            d = os.path.join(prefix, "lib", f"python{major_minor}{suffix}", "site-packages")
            if os.path.isdir(d):
                dirs.append(d)
    if not dirs:
        dirs = sorted(glob.glob(os.path.join(glob.escape(prefix), "lib", "python3*", "site-packages")))
    win = os.path.join(prefix, "Lib", "site-packages")
    if os.path.isdir(win):
        dirs.append(win)
    return dirs


def _name_version_from_folder(folder: str) -> tuple[str, str]:
    stem = folder.rsplit(".", 1)[0]
    name, _, rest = stem.partition("-")
    version = rest.split("-", 1)[0]
    return name, version


def folder_key(folder: str) -> str:
    """The normalized distribution name a `*.dist-info` / `*.egg-info` folder name stands for."""
    return normalize(_name_version_from_folder(folder)[0])


def _read_text(path: str, limit: int = 4096) -> str | None:
    try:
        return read_regular(path, limit, truncate=True).decode("utf-8", errors="replace")
    except OSError:
        return None


def installer_of(site_packages: str, folder: str) -> str | None:
    if folder.endswith(".egg-info"):
        return None
    text = _read_text(os.path.join(site_packages, folder, "INSTALLER"), 256)
    return (text or "").strip() or None


def list_dist_folders(site_packages: str) -> list[str]:
    try:
        names = os.listdir(site_packages)
    except OSError:
        return []
    return sorted(n for n in names if n.endswith((".dist-info", ".egg-info")))


def editable_links(site_packages: str) -> set[str]:
    """Normalized names installed in development mode the old way (`*.egg-link`)."""
    try:
        names = os.listdir(site_packages)
    except OSError:
        return set()
    return {normalize(n[: -len(".egg-link")]) for n in names if n.endswith(".egg-link")}


def read_dist(site_packages: str, folder: str, installer: str | None, legacy_editables: set[str]) -> PipDist:
    """Full metadata for one distribution folder; falls back to the folder name when METADATA is unreadable."""
    base = os.path.join(site_packages, folder)
    name, version = _name_version_from_folder(folder)
    if os.path.isdir(base):
        meta_name = "METADATA" if folder.endswith(".dist-info") else "PKG-INFO"
        header = _read_header(os.path.join(base, meta_name))
    else:
        header = _read_header(base)  # a single-file egg-info is PKG-INFO itself
    requires: list[str] = []
    for key, value in header:
        lower = key.lower()
        if lower == "name" and value:
            name = value
        elif lower == "version" and value:
            version = value
        elif lower == "requires-dist":
            requires.append(value)
    dist = PipDist(folder=folder, name=name, version=version, installer=installer, requires_dist=requires)
    dist.editable = _is_editable(base) or dist.normalized_name in legacy_editables
    return dist


def _read_header(path: str) -> list[tuple[str, str]]:
    text = _read_text(path, _MAX_HEADER_BYTES)
    if text is None:
        return []
    text = text.replace("\r\n", "\n")
    header = text.split("\n\n", 1)[0]
    out: list[tuple[str, str]] = []
    for line in header.split("\n"):
        if line[:1] in (" ", "\t") and out:
            key, value = out[-1]
            out[-1] = (key, value + " " + line.strip())
        elif ":" in line:
            key, _, value = line.partition(":")
            out.append((key.strip(), value.strip()))
    return out


def _is_editable(dist_folder: str) -> bool:
    text = _read_text(os.path.join(dist_folder, "direct_url.json"), 64 * 1024)
    if not text:
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    dir_info = data.get("dir_info") if isinstance(data, dict) else None
    return isinstance(dir_info, dict) and dir_info.get("editable") is True

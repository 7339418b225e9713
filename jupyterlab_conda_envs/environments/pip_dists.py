"""Python distributions in an environment's site-packages (`*.dist-info`, `*.egg-info`).

Conda-built Python packages also carry dist-info folders; those are marked `INSTALLER: conda` or listed in a conda
record's files. Everything else was put there by pip (or uv, ...) and is what `conda list` shows as `pypi`.
"""

from __future__ import annotations

import glob
import json
import os
import pathlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from ..core.files import read_regular
from ..core.names import normalize
from ..core.urls import mask_url

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
    # Where pip installed it from when that was not an index (PEP 610), as a requirement URL, credentials masked.
    direct_url: str | None = None

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


def editable_links(site_packages: str) -> dict[str, str | None]:
    """Distributions installed in development mode the old way (`*.egg-link`): normalized name → a `file://` URL
    of the source folder the link's first line names, or None when that line is unreadable or not absolute."""
    try:
        names = os.listdir(site_packages)
    except OSError:
        return {}
    return {
        normalize(n[: -len(".egg-link")]): _egg_link_url(os.path.join(site_packages, n))
        for n in names
        if n.endswith(".egg-link")
    }


def _egg_link_url(path: str) -> str | None:
    text = _read_text(path, 64 * 1024)
    first = text.splitlines()[0].strip() if text and text.strip() else ""
    # A relative line would be relative to a cwd nobody remembers; only an absolute path says where the source is.
    if not first or not os.path.isabs(first):
        return None
    try:
        return _safe_url(pathlib.Path(first).as_uri())
    except ValueError:
        return None


def read_dist(
    site_packages: str, folder: str, installer: str | None, legacy_editables: Mapping[str, str | None]
) -> PipDist:
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
    dist.editable, dist.direct_url = _direct_url(base)
    if not dist.editable and dist.normalized_name in legacy_editables:
        dist.editable, dist.direct_url = True, legacy_editables[dist.normalized_name]
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


def _direct_url(dist_folder: str) -> tuple[bool, str | None]:
    """(editable, requirement URL) from PEP 610 `direct_url.json`; (False, None) for an install from an index.

    The URL is what pip takes back in a requirement: `git+https://host/repo@<commit>` for VCS checkouts, the archive
    URL with `#sha256=` when pip recorded a hash, the `file://` URL of a local folder.
    """
    text = _read_text(os.path.join(dist_folder, "direct_url.json"), 64 * 1024)
    if not text:
        return False, None
    try:
        data = json.loads(text)
    except ValueError:
        return False, None
    if not isinstance(data, dict):
        return False, None
    url = data.get("url")
    dir_info = data.get("dir_info")
    editable = isinstance(dir_info, dict) and dir_info.get("editable") is True
    if not isinstance(url, str) or not url.strip():
        return editable, None
    vcs_info, archive_info = data.get("vcs_info"), data.get("archive_info")
    if isinstance(vcs_info, dict):
        url = _vcs_url(url, vcs_info)
    elif isinstance(archive_info, dict):
        url = _archive_url(url, archive_info)
    subdirectory = data.get("subdirectory")
    if isinstance(subdirectory, str) and subdirectory and "#" not in url:
        url = f"{url}#subdirectory={subdirectory}"
    return editable, _safe_url(url)


def _vcs_url(url: str, vcs_info: dict[str, object]) -> str:
    vcs, commit = vcs_info.get("vcs"), vcs_info.get("commit_id")
    if isinstance(vcs, str) and vcs and not url.startswith(f"{vcs}+"):
        url = f"{vcs}+{url}"
    # The commit, not the requested branch or tag: the export must name exactly what is installed.
    if isinstance(commit, str) and commit:
        url = f"{url}@{commit}"
    return url


def _archive_url(url: str, archive_info: dict[str, object]) -> str:
    if "#" in url:
        return url
    hashes = archive_info.get("hashes")
    sha256 = hashes.get("sha256") if isinstance(hashes, dict) else None
    legacy = archive_info.get("hash")  # PEP 610's older single `<algorithm>=<hex>` field
    if not isinstance(sha256, str) and isinstance(legacy, str) and legacy.startswith("sha256="):
        sha256 = legacy[len("sha256=") :]
    if isinstance(sha256, str) and sha256 and all(c in "0123456789abcdefABCDEF" for c in sha256):
        return f"{url}#sha256={sha256.lower()}"
    return url


def _safe_url(url: str) -> str:
    """Credentials masked, and whitespace or control characters percent-encoded: the URL ends up as one line of a
    requirements list, where a space or newline from someone's metadata would start another requirement."""
    cleaned = "".join(
        quote(c.encode("utf-8", "surrogatepass"), safe="") if c.isspace() or not c.isprintable() else c for c in url
    )
    return mask_url(cleaned)

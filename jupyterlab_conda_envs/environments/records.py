"""Conda package records of a prefix, read from `conda-meta/`.

Record files are named `<name>-<version>-<build>.json` and conda allows no `-` in versions or builds, so a
directory listing gives names, versions, builds and counts without parsing JSON. Full records are parsed only when
their fields are needed (the `python` record alone lists thousands of files).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import NamedTuple

import orjson

from ..core.files import TooLarge, read_regular
from ..core.names import normalize
from ..core.urls import channel_display_name, mask_url
from .package import Package

# A real record is at most a few MB (python's lists every file); anything far beyond is refused, not parsed.
MAX_RECORD_BYTES = 64 * 1024 * 1024


class RecordFile(NamedTuple):
    # A tuple, not a dataclass: one is made per record file on every cold read, and tuples are cheapest to make.
    filename: str
    name: str
    version: str
    build: str


class RecordError(Exception):
    """A record that cannot be used; the message says why, for the UI."""


def list_record_files(conda_meta: str) -> list[RecordFile]:
    """Parse record file names; files that do not follow the naming rule are ignored (conda ignores them too)."""
    out: list[RecordFile] = []
    with os.scandir(conda_meta) as it:
        for entry in it:
            fname = entry.name
            if not fname.endswith(".json") or fname.startswith("."):
                continue
            parts = fname[:-5].rsplit("-", 2)
            if len(parts) != 3 or not all(parts):
                continue
            out.append(RecordFile(fname, parts[0], parts[1], parts[2]))
    out.sort(key=lambda r: r.filename)
    return out


def _str_list(value: object) -> list[str]:
    if isinstance(value, list):
        if all(type(v) is str for v in value):
            return value  # the normal case: a list of strings, used as parsed
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []


def _hex_digest(value: object, length: int) -> str | None:
    """A digest field as lower-case hex, or None: it ends up in URLs and files, so nothing else gets through."""
    if isinstance(value, str) and len(value) == length and all(c in "0123456789abcdefABCDEF" for c in value):
        return value.lower()
    return None


def read_raw(conda_meta: str, rf: RecordFile) -> bytes:
    try:
        return read_regular(f"{conda_meta}{os.sep}{rf.filename}", MAX_RECORD_BYTES)
    except TooLarge as err:
        raise RecordError(f"record larger than {MAX_RECORD_BYTES // (1024 * 1024)} MiB, not read") from err
    except OSError as err:
        raise RecordError(f"cannot read: {err.strerror or err}") from err


def owned_folders(raw: bytes, folders: Collection[str]) -> set[str]:
    """The dist-info folders a record lists among its files.

    A substring test on the record's bytes instead of walking its `files` list: the folder name followed by `/`
    only appears there as a path, and this stays cheap for records that list thousands of files.
    """
    return {f for f in folders if os.fsencode(f + "/") in raw}


def read_record(conda_meta: str, rf: RecordFile, *, dist_folders: Collection[str] = ()) -> tuple[Package, set[str]]:
    """Parse one record: the package, and which of `dist_folders` (site-packages folders) it installed."""
    raw = read_raw(conda_meta, rf)
    try:
        # orjson parses records as fast as rattler's Rust reader; the standard library is about 1.5x slower.
        data = orjson.loads(raw)
    except (ValueError, RecursionError) as err:
        raise RecordError(f"invalid JSON: {err}") from err
    if not isinstance(data, dict):
        raise RecordError("record is not a JSON object")
    channel_raw = data.get("channel")
    url_raw = data.get("url")
    size = data.get("size")
    build_number = data.get("build_number")
    requested = data.get("requested_spec")
    if not isinstance(requested, str):
        specs = _str_list(data.get("requested_specs"))
        requested = ", ".join(specs) if specs else None
    name = str(data.get("name") or rf.name)
    package = Package(
        name=name,
        normalized_name=normalize(name),
        version=str(data.get("version") or rf.version),
        build=str(data.get("build") or data.get("build_string") or rf.build),
        build_number=build_number if isinstance(build_number, int) else 0,
        channel=channel_display_name(channel_raw) if isinstance(channel_raw, str) and channel_raw else "",
        subdir=str(data.get("subdir") or ""),
        depends=_str_list(data.get("depends")),
        constrains=_str_list(data.get("constrains")),
        size=size if isinstance(size, int) else None,
        url=mask_url(url_raw) if isinstance(url_raw, str) and url_raw else None,
        requested_spec=requested,
        source="conda",
        installer=None,
        editable=False,
        md5=_hex_digest(data.get("md5"), 32),
        sha256=_hex_digest(data.get("sha256"), 64),
    )
    return package, owned_folders(raw, dist_folders) if dist_folders else set()

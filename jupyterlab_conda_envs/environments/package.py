"""One package as the API returns it, whichever installer put it there."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


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
    # conda only: the archive digests of the record (lower-case hex), for explicit exports; None when absent.
    md5: str | None = None
    sha256: str | None = None
    # pypi only: where pip installed it from when that was not an index (PEP 610 `direct_url.json`, or the source
    # folder of a legacy `.egg-link`), as a requirement URL with credentials masked; None for index installs.
    direct_url: str | None = None


@dataclass
class RecordProblem:
    file: str
    message: str

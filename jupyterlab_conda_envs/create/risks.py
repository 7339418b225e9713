"""What an environment file may do that a user has to see and accept before a create (`Risk`), and the error a
refused request answers (`CreateError`).

pip lines are classified as pip reads them: another index or location, an editable install, a version-control
repository, a URL, a local file or folder, another requirements file, or per-requirement options that reach into
the build. A named requirement from the index is no risk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from packaging.requirements import InvalidRequirement, Requirement

from ..core.names import normalize
from ..core.urls import mask_text
from ..export.spec_entries import PIP_COMMENT, PIP_DIRECT_REF, quoted

RiskKind = Literal[
    "pip-index", "pip-editable", "pip-vcs", "pip-url", "pip-local", "pip-requirements", "pip-option", "channel"
]
RISK_KINDS: tuple[RiskKind, ...] = get_args(RiskKind)

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_VCS = ("git+", "hg+", "svn+", "bzr+")
# pip reads a file name with one of these endings as a local archive (pip's `ARCHIVE_EXTENSIONS`)
_ARCHIVES = (
    ".whl",
    ".zip",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
    ".tar",
)
_INDEX_OPTIONS = frozenset({"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host"})
_EDITABLE_OPTIONS = frozenset({"-e", "--editable"})
_REQUIREMENTS_OPTIONS = frozenset({"-r", "-c", "--requirement", "--constraint"})

RISK_MESSAGES: dict[RiskKind, str] = {
    "pip-index": "pip would download from another package index or location, which can serve any code under a "
    "familiar package name",
    "pip-editable": "pip would install a folder or repository in editable mode, running its build code",
    "pip-vcs": "pip would fetch a version-control repository and run its build code",
    "pip-url": "pip would download a package from a URL and run its build or install code",
    "pip-local": "pip would install a file or folder on the server, running its build code",
    "pip-requirements": "pip would read more requirements or constraints from a file or URL not shown here",
    "pip-option": "these pip options change how or where pip installs",
    "channel": "conda would install packages from channels other than defaults, conda-forge, pytorch and nvidia; "
    "a channel can serve any code under a familiar package name",
}


@dataclass(frozen=True)
class Risk:
    kind: RiskKind
    items: list[str]  # the offending lines or channels as written, secrets masked
    message: str  # for the user: what these lines can do


class CreateError(ValueError):
    """The request cannot be used. `status` 400 (invalid) or 413 (too large); `where` names the field;
    `needs` lists the risk kinds the request would have to allow."""

    def __init__(
        self, message: str, *, status: int = 400, where: str | None = None, needs: list[RiskKind] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.where = where
        self.needs = needs


def pip_kind(text: str, where: str) -> RiskKind | None:
    if text.startswith("-"):
        option = re.split(r"[\s=]", text, maxsplit=1)[0]
        if not option.startswith("--") and len(option) > 2:
            option = option[:2]  # `-ihttps://...`: a short option with its value attached
        if option in _INDEX_OPTIONS:
            return "pip-index"
        if option in _EDITABLE_OPTIONS:
            return "pip-editable"
        if option in _REQUIREMENTS_OPTIONS:
            return "pip-requirements"
        return "pip-option"
    requirement, options = split_options(text)
    kind = target_kind(requirement, where)
    flags = [word.split("=", 1)[0] for word in options if word.startswith("-")]
    if kind is None and any(flag != "--hash" for flag in flags):
        return "pip-option"  # `--config-settings`, `--global-option`: reach into the build; `--hash` only narrows
    return kind


def split_options(text: str) -> tuple[str, list[str]]:
    """A requirement line → (the requirement, its per-requirement options), split as pip splits it: at the first
    word that starts with `-`."""
    words = text.split(" ")
    for index, word in enumerate(words):
        if word.startswith("-"):
            return " ".join(words[:index]).strip(), [w for w in words[index:] if w]
    return text, []


def target_kind(requirement: str, where: str) -> RiskKind | None:
    if requirement.lower().startswith(_VCS):
        return "pip-vcs"
    if _SCHEME.match(requirement) and not PIP_DIRECT_REF.match(requirement):
        return url_kind(requirement)
    target = requirement.split(";", 1)[0].strip()  # a marker (`; sys_platform == "linux"`) names no path
    if not PIP_DIRECT_REF.match(requirement) and (
        target.startswith((".", "~")) or "/" in target or "\\" in target or target.lower().endswith(_ARCHIVES)
    ):
        return "pip-local"  # pip reads it as a path, as pip does for any text with a separator or a leading dot
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement:
        raise CreateError(f"{where}: {quoted(mask_text(requirement))} is not a pip requirement.", where=where) from None
    if parsed.url is not None:
        return url_kind(parsed.url)
    return None


def url_kind(url: str) -> RiskKind:
    lowered = url.lower()
    if lowered.startswith(_VCS):
        return "pip-vcs"
    if lowered.startswith("file:") or not _SCHEME.match(url) or re.match(r"[A-Za-z]:[\\/]", url):
        return "pip-local"  # `file:`, a bare path, a Windows drive
    return "pip-url"


def pip_name(line: str) -> str:
    requirement, _ = split_options(PIP_COMMENT.sub("", line).strip())
    try:
        return normalize(Requirement(requirement).name)
    except InvalidRequirement:
        return ""

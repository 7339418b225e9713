"""One line of an environment file as an entry: a conda match spec, or a pip requirement line (with what it
installs from, when that is not the index by name)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from packaging.requirements import InvalidRequirement, Requirement

from ..core.names import normalize
from ..core.urls import KNOWN_SUBDIRS, channel_display_name, mask_text

_CONDA_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_VERSION = re.compile(r"[A-Za-z0-9_.+!]+")
_BUILD = re.compile(r"[A-Za-z0-9_.+]+")
_BUILD_GLOB = re.compile(r"[A-Za-z0-9_.+*]+")
_BRACKETS = re.compile(r"([^\[\]]*)\[([^\[\]]*)\]\s*")
_BRACKET_FIELD = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('[^']*'|\"[^\"]*\"|[^,'\"]*?)\s*(?:,|$)")
# pip's own comment rule: `#` at the start of a line or after whitespace.
PIP_COMMENT = re.compile(r"(^|\s+)#.*$")
_PIP_EDITABLE = re.compile(r"(?:-e|--editable)(?:\s+|\s*=\s*)(\S.*)")
# `name @ url`, `name[extra]@url`: a named direct reference (PEP 508).
PIP_DIRECT_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*\s*(?:\[[^\]]*\])?\s*@")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._\-]*)")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".zip")


@dataclass
class SpecEntry:
    source: Literal["conda", "pypi"]
    name: str  # as written
    # PEP 503 for both sources, as `Package.normalized_name` of the packages route: entries and installed packages
    # are compared on it
    normalized_name: str
    version: str | None  # the pinned version when the spec pins one
    fuzzy: bool  # the pin is a prefix: conda `=1.26` or `1.26.*` means 1.26.*
    build: str | None  # a pinned build string
    channel: str | None  # display name (`conda-forge`, `pkgs/main`), secrets masked
    spec: str  # the text as written, for display (secrets masked)
    constraint: str | None  # a constraint that is not a pin (`>=1.20,<2`), for display


# --- conda match specs -------------------------------------------------------------------------------------


def spec_entry(
    source: Literal["conda", "pypi"],
    name: str,
    spec: str,
    *,
    version: str | None = None,
    fuzzy: bool = False,
    build: str | None = None,
    channel: str | None = None,
    constraint: str | None = None,
) -> SpecEntry:
    """An entry whose normalized name is derived from `name`, the one way entries are made."""
    return SpecEntry(source, name, normalize(name), version, fuzzy, build, channel, spec, constraint)


def conda_entry(text: str) -> SpecEntry | None:
    """A conda match spec as environment.yml holds it, or None when it is not one.

    `numpy`, `numpy=1.26` (1.26.*), `numpy==1.26.4`, `numpy=1.26.4=py311h64a7726_0`, `numpy 1.26.4 py311h…_0`,
    `numpy>=1.20,<2`, `conda-forge::numpy=1.26`, `conda-forge/linux-64::numpy`, `pytorch[version='>=2']`.
    """
    spec = text.strip()
    body = spec
    channel: str | None = None
    separator, bracket = body.find("::"), body.find("[")
    if separator != -1 and (bracket == -1 or separator < bracket):
        channel = channel_name(body[:separator].strip())
        body = body[separator + 2 :].strip()
        if not channel:
            return None
    fields: dict[str, str] = {}
    match = _BRACKETS.fullmatch(body)
    if match is not None:
        body = match.group(1).strip()
        parsed = _bracket_fields(match.group(2))
        if parsed is None:
            return None
        fields = parsed
    elif "[" in body or "]" in body:
        return None
    name_match = _CONDA_NAME.match(body)
    if name_match is None:
        return None
    name = name_match.group()
    split = _version_and_build(body[name_match.end() :])
    if split is None:
        return None
    version_text, single_equals, build_text = split
    if "version" in fields:
        version_text, single_equals = fields.pop("version"), False
    if "build" in fields:
        build_text = fields.pop("build")
    if "channel" in fields:
        channel = channel or channel_name(fields.pop("channel")) or None
    fields.pop("subdir", None)
    constraints: list[str] = []
    version: str | None = None
    fuzzy = False
    if version_text is not None:
        pin = _pin(version_text, single_equals and build_text is None)
        if pin is None:
            return None
        version, fuzzy, constraint = pin
        if constraint is not None:
            constraints.append(constraint)
    build: str | None = None
    if build_text is not None:
        if _BUILD.fullmatch(build_text):
            build = build_text
        elif _BUILD_GLOB.fullmatch(build_text):
            constraints.append(f"build={build_text}")
        else:
            return None
    constraints.extend(f"{key}={value}" for key, value in fields.items())
    return spec_entry(
        "conda",
        name,
        mask_text(spec),
        version=version,
        fuzzy=fuzzy,
        build=build,
        channel=channel,
        constraint=mask_text(" ".join(constraints)) if constraints else None,
    )


def channel_name(text: str) -> str:
    """`conda-forge/linux-64` → `conda-forge`; URLs as `channel_display_name` shows them."""
    if "://" in text:
        return channel_display_name(text)
    segments = [segment for segment in text.split("/") if segment]
    if len(segments) > 1 and segments[-1] in KNOWN_SUBDIRS:
        segments.pop()
    return "/".join(segments)


def _bracket_fields(inner: str) -> dict[str, str] | None:
    """`version='>=2', build=*cuda*` → {"version": ">=2", "build": "*cuda*"}; None when it does not read so."""
    fields: dict[str, str] = {}
    position = 0
    inner = inner.strip()
    while position < len(inner):
        match = _BRACKET_FIELD.match(inner, position)
        if match is None or match.end() == position:
            return None
        value = match.group(2)
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        fields[match.group(1).lower()] = value.strip()
        position = match.end()
    return fields


def _version_and_build(rest: str) -> tuple[str | None, bool, str | None] | None:
    """What follows the name → (version expression, written with a single `=`, build); None if unreadable."""
    if not rest.strip():
        return None, False, None
    if rest[0].isspace():
        # `numpy 1.26.4 py311h64a7726_0`, `numpy ==1.26.4`, `numpy >=1.20, <2`
        words = re.sub(r"\s*([,|])\s*", r"\1", rest.strip()).split()
        if len(words) > 2:
            return None
        return words[0], False, words[1] if len(words) == 2 else None
    if rest.startswith("=="):
        version, _, build = rest[2:].partition("=")
        return "==" + version.strip(), False, build.strip() if build else None
    if rest.startswith("="):
        parts = rest[1:].split("=")
        if len(parts) > 2:
            return None
        return parts[0].strip(), True, parts[1].strip() if len(parts) == 2 else None
    if rest[0] in "<>!~":
        return re.sub(r"\s+", "", rest), False, None
    return None


def _pin(text: str, single_equals: bool) -> tuple[str | None, bool, str | None] | None:
    """A version expression → (pinned version, fuzzy, constraint for display); None when empty."""
    if text == "*":
        return None, False, None
    doubled = text.startswith("==") and not text.startswith("===")
    core = text[2:] if doubled else text
    if not core:
        return None
    if core.endswith(".*") and _VERSION.fullmatch(core[:-2]):
        return core[:-2], True, None
    if _VERSION.fullmatch(core):
        return core, single_equals and not doubled, None
    return None, False, ("=" + text if single_equals else text)


# --- pip requirement lines ---------------------------------------------------------------------------------


def add_pip_line(line: str, where: str, entries: list[SpecEntry], options: list[str], problems: list[str]) -> None:
    text = PIP_COMMENT.sub("", line).strip()
    if not text:
        return
    shown = mask_text(text)
    if text.startswith("-"):
        options.append(shown)
        editable = _PIP_EDITABLE.fullmatch(text)
        if editable is not None:
            _add_egg(editable.group(1), shown, entries)
        return
    if not PIP_DIRECT_REF.match(text) and (
        "://" in text or text.startswith((".", "/", "~", "git+")) or "\\" in text or text.endswith(_ARCHIVES)
    ):
        options.append(shown)  # an unnamed URL or local path
        _add_egg(text, shown, entries)
        return
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        problems.append(f"{where}: {quoted(shown)} is not a pip requirement; left out.")
        return
    if requirement.url:
        options.append(shown)
    version: str | None = None
    fuzzy = False
    constraint: str | None = None
    specifiers = list(requirement.specifier)
    if len(specifiers) == 1 and specifiers[0].operator in ("==", "==="):
        version = specifiers[0].version
        if specifiers[0].operator == "==" and version.endswith(".*"):
            version, fuzzy = version[:-2], True
    elif specifiers:
        constraint = str(requirement.specifier)
    entries.append(_pypi(requirement.name, version, fuzzy, shown, constraint))


def _add_egg(target: str, shown: str, entries: list[SpecEntry]) -> None:
    match = _EGG.search(target)
    if match is not None:
        entries.append(_pypi(match.group(1), None, False, shown, None))


def _pypi(name: str, version: str | None, fuzzy: bool, spec: str, constraint: str | None) -> SpecEntry:
    return spec_entry("pypi", name, spec, version=version, fuzzy=fuzzy, constraint=constraint)


def quoted(text: str) -> str:
    text = text if len(text) <= 80 else text[:77] + "..."
    return f"`{text}`"

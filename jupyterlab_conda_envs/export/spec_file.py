"""An environment file, read into a normalized package list.

Three forms, told apart by their content:
- `environment.yml` (what `conda env export` writes, or what a person writes): `name`, `channels`,
  `dependencies` (conda match specs and one `pip:` list), `variables`;
- conda's explicit format: package URLs after an `@EXPLICIT` line;
- either of those followed by the lock block our exports append, which lists every installed package and then
  is the file's package list.

The text is untrusted: YAML is read by `environment_yaml`, each spec or pip line by `spec_entries`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Union, cast
from urllib.parse import unquote

from ..core.urls import channel_display_name, mask_text, mask_url
from .environment_yaml import MAX_BYTES, check_shape, decode, join_path, variable_text, yaml_document
from .spec_entries import SpecEntry, add_pip_line, channel_name, conda_entry, quoted, spec_entry

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+")
LOCK_HEADER = "# conda-envs-lock v1: every package installed when this file was written; conda ignores comments"
_LOCK_START = re.compile(r"#\s*conda-envs-lock\s+v(\S*?):?(?:\s|$)")
_KNOWN_KEYS = frozenset({"name", "channels", "dependencies", "variables", "prefix"})
_PLATFORM = re.compile(r"#\s*platform:\s*(\S+)\s*$")


@dataclass
class SpecFile:
    kind: Literal["yml", "explicit", "lock"]  # "lock": the lock block supplied the entries
    name: str | None
    channels: list[str]  # as written (masked); for an explicit file, the channels its URLs name
    entries: list[SpecEntry]  # conda sorted by normalized name, then pypi sorted
    complete: bool  # the entries are a full installed set, not just what someone asked for
    platform: str | None  # from a `# platform: <subdir>` comment
    variables: dict[str, str]
    problems: list[str]  # non-fatal: what was ignored or not understood
    # pip lines that install from somewhere other than the index by name: options (`--index-url`, `-r`),
    # editables, URLs, local paths, `name @ url`. Shown to the user before anything is created.
    options: list[str]


def parse_spec_file(data: bytes, *, max_bytes: int = MAX_BYTES) -> SpecFile:
    """The packages an environment file asks for (or, with a lock block or in explicit form, all it installs)."""
    text = decode(data, max_bytes)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    problems: list[str] = []
    lock_at, lock_entries = _lock_block(lines, problems)
    head = lines if lock_at is None else lines[:lock_at]
    platform = next((m.group(1) for m in (_PLATFORM.fullmatch(line.strip()) for line in lines) if m), None)
    if _is_explicit(head):
        result = _explicit(head, platform)
    else:
        document = yaml_document(text)
        if document is None and lock_at is not None:
            document = {}  # a bare lock block: nothing but comments
        result = _yml(check_shape(document), platform)
    if lock_at is not None:
        result.kind = "lock"
        result.entries = _sorted(lock_entries)
        result.complete = True
    result.problems[:0] = problems
    return result


def _yml(document: dict[str, object], platform: str | None) -> SpecFile:
    problems: list[str] = []
    for key in document:
        if key == "prefix":
            problems.append("prefix: ignored; an environment is created from its name.")
        elif key not in _KNOWN_KEYS:
            problems.append(f"{join_path('', key)}: not an environment file key; ignored.")
    name = document.get("name")
    channels = document.get("channels") or []
    dependencies = document.get("dependencies") or []
    variables = document.get("variables") or {}
    # _check_shape has made sure of these types
    channels, dependencies = cast(list[str], channels), cast(list[Union[str, dict[str, object]]], dependencies)
    variables = cast(dict[str, object], variables)
    entries: list[SpecEntry] = []
    options: list[str] = []
    conda_specs = 0
    exact = True
    for index, item in enumerate(dependencies):
        where = f"dependencies[{index}]"
        if isinstance(item, str):
            conda_specs += 1
            entry = conda_entry(item)
            if entry is None:
                exact = False
                problems.append(f"{where}: {quoted(item)} is not a conda package spec; left out.")
                continue
            exact = exact and entry.version is not None and not entry.fuzzy
            entries.append(entry)
            continue
        for pip_index, line in enumerate(cast(Union[list[str], None], item["pip"]) or []):
            add_pip_line(line, f"{where}.pip[{pip_index}]", entries, options, problems)
    return SpecFile(
        kind="yml",
        name=name if isinstance(name, str) else None,
        channels=[mask_url(str(channel)) for channel in channels],
        entries=_sorted(entries),
        complete=conda_specs > 0 and exact,
        platform=platform,
        variables={str(key): variable_text(value) for key, value in variables.items()},
        problems=problems,
        options=options,
    )


def _is_explicit(lines: list[str]) -> bool:
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped == "@EXPLICIT"
    return False


def _explicit(lines: list[str], platform: str | None) -> SpecFile:
    entries: list[SpecEntry] = []
    options: list[str] = []
    problems: list[str] = []
    channels: list[str] = []
    seen_marker = False
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not seen_marker:
            seen_marker = line == "@EXPLICIT"
            continue
        if not line:
            continue
        if line.startswith("#"):
            comment = line[1:].strip()
            if comment.startswith("pip "):
                add_pip_line(comment[4:], f"Line {number}", entries, options, problems)
            continue
        entry = _explicit_entry(line)
        if entry is None:
            problems.append(f"Line {number}: {quoted(line)} is not a package URL; left out.")
            continue
        entries.append(entry)
        if entry.channel is not None and entry.channel not in channels:
            channels.append(entry.channel)
    return SpecFile(
        kind="explicit",
        name=None,
        channels=channels,
        entries=_sorted(entries),
        complete=True,
        platform=platform,
        variables={},
        problems=problems,
        options=options,
    )


def _explicit_entry(line: str) -> SpecEntry | None:
    """`https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py311h64a7726_0.conda#<md5>`."""
    url = line.split("#", 1)[0].strip()
    if not _URL.fullmatch(url):
        return None
    base, _, filename = url.rpartition("/")
    filename = unquote(filename)
    for suffix in (".conda", ".tar.bz2"):
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            break
    else:
        return None
    parts = stem.rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        return None
    name, version, build = parts
    return spec_entry("conda", name, mask_text(line), version=version, build=build, channel=channel_display_name(base))


def _lock_block(lines: list[str], problems: list[str]) -> tuple[int | None, list[SpecEntry]]:
    """Where the lock block starts and its entries; (None, []) when the file has none."""
    start = None
    for index, line in enumerate(lines):
        match = _LOCK_START.match(line.strip())
        if match is None:
            continue
        if match.group(1) == "1":
            start = index
            break
        problems.append(f"Line {index + 1}: a lock block of an unknown version (v{match.group(1)}); ignored.")
    if start is None:
        return None, []
    entries: list[SpecEntry] = []
    for number, raw in enumerate(lines[start + 1 :], start + 2):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        fields = line[1:].split()
        if len(fields) == 5 and fields[0] == "conda":
            _, name, version, build, channel = fields
            entries.append(
                spec_entry(
                    "conda",
                    name,
                    mask_text(" ".join(fields[1:])),
                    version=_field(version),
                    build=_field(build),
                    channel=None if channel == "-" else channel_name(channel),
                )
            )
        elif len(fields) == 3 and fields[0] == "pypi":
            _, name, version = fields
            entries.append(spec_entry("pypi", name, f"{name} {version}", version=_field(version)))
        else:
            problems.append(f"Line {number}: {quoted(line)} is not a lock line; left out.")
    return start, entries


def _field(value: str) -> str | None:
    return None if value == "-" else value  # the lock block writes `-` for a field it does not know


def _sorted(entries: list[SpecEntry]) -> list[SpecEntry]:
    return sorted(entries, key=lambda entry: (entry.source != "conda", entry.normalized_name))

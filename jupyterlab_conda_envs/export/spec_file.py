"""An environment file, read into a normalized package list.

Three forms, told apart by their content:
- `environment.yml` (what `conda env export` writes, or what a person writes): `name`, `channels`,
  `dependencies` (conda match specs and one `pip:` list), `variables`;
- conda's explicit format: package URLs after an `@EXPLICIT` line;
- either of those followed by the lock block our exports append, which lists every installed package and then
  is the file's package list.

The text is untrusted (a workspace file; later, the body of a create request), so YAML is read defensively: a
size cap before anything else, UTF-8 only, and an event scan before any object is built that refuses anchors and
aliases (no alias bomb), tags (no object construction), a second document, deep nesting and too many items.
Only then does the safe loader build the document. Nothing here reads files or starts processes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Union, cast
from urllib.parse import unquote

import yaml
from packaging.requirements import InvalidRequirement, Requirement

from ..core.names import normalize
from ..core.urls import KNOWN_SUBDIRS, channel_display_name, mask_text, mask_url

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1 << 20
# A real environment.yml nests four deep (file → dependencies → pip → its list) and a large `conda env export`
# lists a few thousand packages: the caps leave room for that and nothing like an attack.
MAX_DEPTH = 10
MAX_ITEMS = 10_000
MAX_NODES = 50_000

LOCK_HEADER = "# conda-envs-lock v1: every package installed when this file was written; conda ignores comments"
_LOCK_START = re.compile(r"#\s*conda-envs-lock\s+v(\S*?):?(?:\s|$)")
_KNOWN_KEYS = frozenset({"name", "channels", "dependencies", "variables", "prefix"})
# Explicit standard tags are harmless; any other tag (`!!python/...`, local `!foo`) is refused before construction.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "seq", "map"))

_CONDA_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_VERSION = re.compile(r"[A-Za-z0-9_.+!]+")
_BUILD = re.compile(r"[A-Za-z0-9_.+]+")
_BUILD_GLOB = re.compile(r"[A-Za-z0-9_.+*]+")
_BRACKETS = re.compile(r"([^\[\]]*)\[([^\[\]]*)\]\s*")
_BRACKET_FIELD = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('[^']*'|\"[^\"]*\"|[^,'\"]*?)\s*(?:,|$)")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://\S+")
# pip's own comment rule: `#` at the start of a line or after whitespace.
PIP_COMMENT = re.compile(r"(^|\s+)#.*$")
_PIP_EDITABLE = re.compile(r"(?:-e|--editable)(?:\s+|\s*=\s*)(\S.*)")
_PIP_DIRECT_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*\s*(?:\[[^\]]*\])?\s*@")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._\-]*)")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".zip")
_PLATFORM = re.compile(r"#\s*platform:\s*(\S+)\s*$")


class SpecError(ValueError):
    """The file cannot be used; the message is for the user."""


class SpecTooLarge(SpecError):
    pass


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


def load_environment_yaml(data: bytes, *, max_bytes: int = MAX_BYTES) -> dict[str, object]:
    """The environment.yml mapping, loaded safely and checked for shape.

    `name` is text or null; `channels` a list of text; `dependencies` a list of text and `{pip: [text]}`
    mappings; `variables` a mapping of text to single values; any of them may be null or absent. Other keys are
    returned as loaded. Raises SpecError (SpecTooLarge over `max_bytes`) with a message for the user.
    """
    return _check_shape(_yaml_document(_decode(data, max_bytes)))


def parse_spec_file(data: bytes, *, max_bytes: int = MAX_BYTES) -> SpecFile:
    """The packages an environment file asks for (or, with a lock block or in explicit form, all it installs)."""
    text = _decode(data, max_bytes)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    problems: list[str] = []
    lock_at, lock_entries = _lock_block(lines, problems)
    head = lines if lock_at is None else lines[:lock_at]
    platform = next((m.group(1) for m in (_PLATFORM.fullmatch(line.strip()) for line in lines) if m), None)
    if _is_explicit(head):
        result = _explicit(head, platform)
    else:
        document = _yaml_document(text)
        if document is None and lock_at is not None:
            document = {}  # a bare lock block: nothing but comments
        result = _yml(_check_shape(document), platform)
    if lock_at is not None:
        result.kind = "lock"
        result.entries = _sorted(lock_entries)
        result.complete = True
    result.problems[:0] = problems
    return result


# --- loading -----------------------------------------------------------------------------------------------


def _decode(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise SpecTooLarge(f"The file is {len(data):,} bytes; the limit is {max_bytes:,}.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SpecError(f"The file is not UTF-8 text (line {line}).") from None
    return text[1:] if text.startswith("\ufeff") else text


@dataclass
class _Frame:
    path: str
    is_map: bool
    count: int = 0
    at_key: bool = True
    key: str = "?"


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 0


def _join(path: str, key: str) -> str:
    key = key if len(key) <= 40 else key[:37] + "..."
    return f"{path}.{key}" if path else key


def _place(path: str, line: int) -> str:
    return f"{path} (line {line})" if path else f"Line {line}"


def _scan(text: str) -> None:
    """Refuse what the safe loader would accept but we do not want, from parser events, before any construction.

    Events are pulled one at a time, so a refusal stops the parser early: an alias bomb ends at its first anchor.
    """
    stack: list[_Frame] = []
    nodes = documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    line = _line(event)
                    raise SpecError(f"Line {line}: the file holds more than one YAML document.")
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            line = _line(event)
            path = _advance(stack, event)
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                raise SpecError(f"{_place(path, line)}: YAML anchors and aliases (& and *) are not allowed.")
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _PLAIN_TAGS:
                shown = "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag
                raise SpecError(f"{_place(path, line)}: the YAML tag {shown[:60]} is not allowed.")
            nodes += 1
            if nodes > MAX_NODES:
                raise SpecError(f"{_place(path, line)}: the file holds more than {MAX_NODES:,} values.")
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise SpecError(f"{_place(path, line)}: nested more than {MAX_DEPTH} levels deep.")
                stack.append(_Frame(path, isinstance(event, yaml.MappingStartEvent)))
    except yaml.YAMLError as exc:
        raise SpecError(_yaml_message(exc)) from None


def _advance(stack: list[_Frame], event: yaml.NodeEvent) -> str:
    """The path of the node `event` starts, counting it in its parent (and refusing an over-long parent)."""
    if not stack:
        return ""
    parent = stack[-1]
    if parent.is_map and parent.at_key:
        parent.at_key = False
        parent.count += 1
        value = getattr(event, "value", None)
        parent.key = value if isinstance(event, yaml.ScalarEvent) and isinstance(value, str) else "?"
        path = parent.path
    elif parent.is_map:
        parent.at_key = True
        return _join(parent.path, parent.key)
    else:
        path = f"{parent.path}[{parent.count}]"
        parent.count += 1
    if parent.count > MAX_ITEMS:
        line = _line(event)
        raise SpecError(f"{_place(parent.path, line)}: more than {MAX_ITEMS:,} items.")
    return path


def _yaml_message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        return f"Line {exc.problem_mark.line + 1}: not valid YAML ({exc.problem})."
    return f"Not valid YAML ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})."


def _yaml_document(text: str) -> object:
    _scan(text)
    try:
        return yaml.load(text, Loader=_Loader)  # the safe loader, and only after _scan
    except yaml.YAMLError as exc:
        raise SpecError(_yaml_message(exc)) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar the constructor rejects: `2024-13-45`
        raise SpecError(f"A value could not be read: {str(exc)[:100]}.") from None


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "a date" if type(value).__name__ in ("date", "datetime") else type(value).__name__


def _check_shape(document: object) -> dict[str, object]:
    if not isinstance(document, dict):
        found = "it is empty" if document is None else f"found {_kind(document)}"
        raise SpecError(f"The file is not a mapping of name, channels and dependencies ({found}).")
    for key in document:
        if not isinstance(key, str):
            raise SpecError(f"The top-level key {str(key)[:40]!r} is not text.")
    name = document.get("name")
    if name is not None and not isinstance(name, str):
        raise SpecError(f"name: not text (found {_kind(name)}).")
    _check_strings(document.get("channels"), "channels")
    dependencies = document.get("dependencies")
    if dependencies is not None:
        if not isinstance(dependencies, list):
            raise SpecError(f"dependencies: not a list (found {_kind(dependencies)}).")
        for index, item in enumerate(dependencies):
            where = f"dependencies[{index}]"
            if isinstance(item, dict):
                if list(item) != ["pip"]:
                    raise SpecError(f"{where}: only a `pip:` list may appear here as a mapping.")
                _check_strings(item["pip"], f"{where}.pip")
            elif not isinstance(item, str):
                raise SpecError(f"{where}: not text (found {_kind(item)}).")
    variables = document.get("variables")
    if variables is not None:
        if not isinstance(variables, dict):
            raise SpecError(f"variables: not a mapping (found {_kind(variables)}).")
        for key, value in variables.items():
            if not isinstance(key, str):
                raise SpecError(f"variables: the key {str(key)[:40]!r} is not text.")
            if isinstance(value, (list, dict)):
                raise SpecError(f"{_join('variables', key)}: not a single value (found {_kind(value)}).")
    return document


def _check_strings(value: object, where: str) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        raise SpecError(f"{where}: not a list (found {_kind(value)}).")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise SpecError(f"{where}[{index}]: not text (found {_kind(item)}).")


# --- the three forms ---------------------------------------------------------------------------------------


def _yml(document: dict[str, object], platform: str | None) -> SpecFile:
    problems: list[str] = []
    for key in document:
        if key == "prefix":
            problems.append("prefix: ignored; an environment is created from its name.")
        elif key not in _KNOWN_KEYS:
            problems.append(f"{_join('', key)}: not an environment file key; ignored.")
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
                problems.append(f"{where}: {_quote(item)} is not a conda package spec; left out.")
                continue
            exact = exact and entry.version is not None and not entry.fuzzy
            entries.append(entry)
            continue
        for pip_index, line in enumerate(cast(Union[list[str], None], item["pip"]) or []):
            _add_pip(line, f"{where}.pip[{pip_index}]", entries, options, problems)
    return SpecFile(
        kind="yml",
        name=name if isinstance(name, str) else None,
        channels=[mask_url(str(channel)) for channel in channels],
        entries=_sorted(entries),
        complete=conda_specs > 0 and exact,
        platform=platform,
        variables={str(key): _variable(value) for key, value in variables.items()},
        problems=problems,
        options=options,
    )


def _variable(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
                _add_pip(comment[4:], f"Line {number}", entries, options, problems)
            continue
        entry = _explicit_entry(line)
        if entry is None:
            problems.append(f"Line {number}: {_quote(line)} is not a package URL; left out.")
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
    return SpecEntry(
        source="conda",
        name=name,
        normalized_name=normalize(name),
        version=version,
        fuzzy=False,
        build=build,
        channel=channel_display_name(base),
        spec=mask_text(line),
        constraint=None,
    )


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
                SpecEntry(
                    source="conda",
                    name=name,
                    normalized_name=normalize(name),
                    version=_field(version),
                    fuzzy=False,
                    build=_field(build),
                    channel=None if channel == "-" else _channel_name(channel),
                    spec=mask_text(" ".join(fields[1:])),
                    constraint=None,
                )
            )
        elif len(fields) == 3 and fields[0] == "pypi":
            _, name, version = fields
            entries.append(
                SpecEntry(
                    source="pypi",
                    name=name,
                    normalized_name=normalize(name),
                    version=_field(version),
                    fuzzy=False,
                    build=None,
                    channel=None,
                    spec=f"{name} {version}",
                    constraint=None,
                )
            )
        else:
            problems.append(f"Line {number}: {_quote(line)} is not a lock line; left out.")
    return start, entries


def _field(value: str) -> str | None:
    return None if value == "-" else value  # the lock block writes `-` for a field it does not know


# --- conda match specs -------------------------------------------------------------------------------------


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
        channel = _channel_name(body[:separator].strip())
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
        channel = channel or _channel_name(fields.pop("channel")) or None
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
    return SpecEntry(
        source="conda",
        name=name,
        normalized_name=normalize(name),
        version=version,
        fuzzy=fuzzy,
        build=build,
        channel=channel,
        spec=mask_text(spec),
        constraint=mask_text(" ".join(constraints)) if constraints else None,
    )


def _channel_name(text: str) -> str:
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


def _add_pip(line: str, where: str, entries: list[SpecEntry], options: list[str], problems: list[str]) -> None:
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
    if not _PIP_DIRECT_REF.match(text) and (
        "://" in text or text.startswith((".", "/", "~", "git+")) or "\\" in text or text.endswith(_ARCHIVES)
    ):
        options.append(shown)  # an unnamed URL or local path
        _add_egg(text, shown, entries)
        return
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        problems.append(f"{where}: {_quote(shown)} is not a pip requirement; left out.")
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
    return SpecEntry(
        source="pypi",
        name=name,
        normalized_name=normalize(name),
        version=version,
        fuzzy=fuzzy,
        build=None,
        channel=None,
        spec=spec,
        constraint=constraint,
    )


# --- small helpers -----------------------------------------------------------------------------------------


def _quote(text: str) -> str:
    text = text if len(text) <= 80 else text[:77] + "..."
    return f"`{text}`"


def _sorted(entries: list[SpecEntry]) -> list[SpecEntry]:
    return sorted(entries, key=lambda entry: (entry.source != "conda", entry.normalized_name))

"""Environment files are untrusted text (a workspace file, the body of a create request): YAML read defensively.

A size cap before anything else, UTF-8 only, and an event scan before any object is built that refuses anchors and
aliases (no alias bomb), tags (no object construction), a second document, deep nesting and too many items. Only
then does the safe loader build the document, whose shape is checked. Nothing here reads files or starts processes.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

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

# Explicit standard tags are harmless; any other tag (`!!python/...`, local `!foo`) is refused before construction.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null", "seq", "map"))


class SpecError(ValueError):
    """The file cannot be used; the message is for the user."""


class SpecTooLarge(SpecError):
    pass


def load_environment_yaml(data: bytes, *, max_bytes: int = MAX_BYTES) -> dict[str, object]:
    """The environment.yml mapping, loaded safely and checked for shape.

    `name` is text or null; `channels` a list of text; `dependencies` a list of text and `{pip: [text]}`
    mappings; `variables` a mapping of text to single values; any of them may be null or absent. Other keys are
    returned as loaded. Raises SpecError (SpecTooLarge over `max_bytes`) with a message for the user.
    """
    return check_shape(yaml_document(decode(data, max_bytes)))


def decode(data: bytes, max_bytes: int) -> str:
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


def join_path(path: str, key: str) -> str:
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
        return join_path(parent.path, parent.key)
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


def yaml_document(text: str) -> object:
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


def check_shape(document: object) -> dict[str, object]:
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
                raise SpecError(f"{join_path('variables', key)}: not a single value (found {_kind(value)}).")
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


def variable_text(value: object) -> str:
    """A `variables:` value as text, as conda stores the loaded value and prints it at activation."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

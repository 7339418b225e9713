"""The specs a user asked for, as recorded in `conda-meta/history`.

conda appends one block per transaction; its comment lines say what was requested:

    # update specs: ['python==3.11.5', 'numpy']      (also `install`, `create`)
    # remove specs: ['numpy']                        (also `uninstall`)
    # neutered specs: ["numpy[version='>=1.24']"]

Replayed in order with conda's semantics (`conda/history.py`, `get_requested_specs_map`): update and neutered specs
add or replace the spec of their package name, remove specs drop the name. The value is a Python list literal,
read with `ast.literal_eval` (never `eval`); conda < 4.5 wrote a comma-separated string instead, also understood.
"""

from __future__ import annotations

import ast
import os
import re

from ..core.files import TooLarge, read_regular

# Histories grow by a few KB per transaction; one far larger is not a history and is not parsed.
MAX_HISTORY_BYTES = 16 * 1024 * 1024
# One literal is one transaction's specs; a line longer than this is refused before `literal_eval` sees it.
_MAX_SPEC_LINE = 256 * 1024

_SPECS_LINE = re.compile(r"#\s*(\w+)\s*specs:\s*(.*)$")
# conda < 4.5: "python>=3.5.1,jupyter >=1.0.0,<2.0": a piece starting with a relation continues the previous spec.
_VERSION_RELATION = re.compile(r"^\s*(==|!=|<=|>=|~=|<|>|=)")
# A MatchSpec's name: after an optional `channel::` (or `channel/subdir::`), up to the first version character.
_SPEC_NAME = re.compile(r"^\s*(?:[^\s:]+::)?([A-Za-z0-9_.+-]+)")
_ACTIONS = {
    "update": "update",
    "install": "update",
    "create": "update",
    "remove": "remove",
    "uninstall": "remove",
    "neutered": "neutered",
}


def read_history(prefix: str) -> str | None:
    """The text of `<prefix>/conda-meta/history`, or None when it is missing, unreadable or too large."""
    try:
        raw = read_regular(os.path.join(prefix, "conda-meta", "history"), MAX_HISTORY_BYTES)
    except (TooLarge, OSError):
        return None
    return raw.decode("utf-8", errors="replace")


def spec_name(spec: str) -> str | None:
    """The package name a spec is about, lower-cased as conda compares names; None when there is none."""
    # The channel part may be a URL (`https://host/chan::numpy`): the name follows the last `::`.
    match = _SPEC_NAME.match(spec.rsplit("::", 1)[-1])
    return match.group(1).lower() if match else None


def requested_specs(history_text: str) -> dict[str, str]:
    """Package name → the spec the user last asked for it with, in the order the names were first requested.

    As conda's `get_user_requests`, only transactions (`==> date <==` blocks) with a `# cmd:` line count: the others
    were not asked for by a user (conda's own bookkeeping, hand edits).
    """
    specs: dict[str, str] = {}
    pending: list[tuple[str, list[str]]] = []
    has_cmd = False

    def flush() -> None:
        if has_cmd:
            for action, items in pending:
                _apply(specs, action, items)
        pending.clear()

    for raw in history_text.splitlines():
        line = raw.strip()
        if line.startswith("==>") and line.endswith("<=="):
            flush()
            has_cmd = False
        elif line.startswith("# cmd:"):
            has_cmd = True
        else:
            parsed = _parse_specs_line(line)
            if parsed is not None:
                pending.append(parsed)
    flush()
    return specs


def _apply(specs: dict[str, str], action: str, items: list[str]) -> None:
    for spec in items:
        name = spec_name(spec)
        if name is None:
            continue
        if action == "remove":
            specs.pop(name, None)
        else:
            specs[name] = spec


def _parse_specs_line(line: str) -> tuple[str, list[str]] | None:
    match = _SPECS_LINE.match(line)
    if match is None or len(line) > _MAX_SPEC_LINE:
        return None
    action = _ACTIONS.get(match.group(1))
    if action is None:
        return None
    value = match.group(2).strip()
    if value.startswith("["):
        items = _literal_list(value)
    elif "[" not in value:
        items = _old_format(value)
    else:
        return None  # neither format: conda skips it too
    # conda drops empty specs and `name@` (a feature-removal marker of conda 4.3).
    return action, [s.strip() for s in items if s.strip() and not s.strip().endswith("@")]


def _literal_list(value: str) -> list[str]:
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return []
    if not isinstance(parsed, (list, tuple)):
        return []
    return [item for item in parsed if isinstance(item, str)]


def _old_format(value: str) -> list[str]:
    specs: list[str] = []
    for piece in value.split(","):
        if _VERSION_RELATION.match(piece) and specs:
            specs[-1] = f"{specs[-1]},{piece}"
        else:
            specs.append(piece)
    return specs

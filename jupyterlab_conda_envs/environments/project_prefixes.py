"""Project-local prefixes under the server root (`./env`, `.pixi/envs/*`, any folder with `conda-meta/history`).

The walk is bounded (depth, entry count) and its result is reused while no folder it listed has changed: a folder's
mtime moves whenever an entry is added to or removed from it, which is exactly how a new project env appears.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# Folders the scan never enters: they are huge and never hold environments.
_SKIP = frozenset({"node_modules", ".git", "__pycache__", ".ipynb_checkpoints", ".tox", ".venv", "site-packages"})
_HIDDEN_OK = frozenset({".pixi", ".conda"})


@dataclass(frozen=True)
class ProjectScan:
    prefixes: tuple[str, ...]
    # The folder where the scan ran out of entries, if it did.
    truncated_at: str | None


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


class ProjectScanner:
    def __init__(self) -> None:
        self._last: tuple[tuple[str, int, int], tuple[tuple[str, int], ...], ProjectScan] | None = None

    def scan(self, root: str, depth: int, limit: int) -> ProjectScan:
        key = (root, depth, limit)
        if self._last is not None and self._last[0] == key:
            if all(_mtime(folder) == mtime for folder, mtime in self._last[1]):
                return self._last[2]
        listed: list[tuple[str, int]] = []
        result = _walk(root, depth, limit, listed)
        self._last = (key, tuple(listed), result)
        return result


def _walk(root: str, max_depth: int, limit: int, listed: list[tuple[str, int]]) -> ProjectScan:
    found: list[str] = []
    budget = limit
    stack: list[tuple[str, int]] = [(root, 0)]
    while stack:
        folder, depth = stack.pop()
        mtime = _mtime(folder)  # before listing: a change during the walk then invalidates the result
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        listed.append((folder, mtime))
        for entry in entries:
            if budget <= 0:
                return ProjectScan(tuple(found), folder)
            budget -= 1
            name = entry.name
            if name in _SKIP or (name.startswith(".") and name not in _HIDDEN_OK):
                continue
            try:
                if not entry.is_dir(follow_symlinks=False):
                    continue
            except OSError:
                continue
            if os.path.isfile(os.path.join(entry.path, "conda-meta", "history")):
                found.append(entry.path)
            elif depth + 1 <= max_depth:
                stack.append((entry.path, depth + 1))
    return ProjectScan(tuple(found), None)

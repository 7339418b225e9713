"""The project environment of a notebook: walk up from its folder to the server root and take the nearest of
- a project-local prefix: `.pixi/envs/default`, `env`, `.conda`, or any sub-folder with `conda-meta/history`;
- an `environment.yml` / `environment.yaml` whose `name:` is an existing environment.

In one folder a local prefix wins over a yml: `conda env create -p ./env -f environment.yml` leaves both, and the
prefix is the concrete one. A yml naming an environment that does not exist is reported and the walk goes on.
Only the top-level `name:` line of a yml is read (no YAML parser, so no alias or tag in a workspace file can cost
anything), from a size-capped read.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..core.files import TooLarge, read_regular

_YML_NAMES = ("environment.yml", "environment.yaml")
_PREFERRED_PREFIXES = (".pixi/envs/default", "env", ".conda")
_YML_MAX = 1024 * 1024
_CHILDREN_MAX = 500
_NAME_LINE = re.compile(rb"^name:[ \t]*(.*?)[ \t]*(?:#.*)?$", re.MULTILINE)


class BadNotebookPath(ValueError):
    pass


class MissingFolder(LookupError):
    pass


@dataclass(frozen=True)
class ProjectMatch:
    source: Literal["environment.yml", "prefix"]
    folder: str  # server-root-relative, "/"-separated ("" = the root)
    file: str  # the yml, or the prefix folder, root-relative
    prefix: str | None  # realpath of the environment (None until the yml's name is resolved)
    yml_name: str | None = None


@dataclass(frozen=True)
class Unresolved:
    file: str
    name: str
    reason: str


@dataclass
class ProjectResolution:
    match: ProjectMatch | None
    unresolved: list[Unresolved] = field(default_factory=list)


def notebook_folder(root: str, api_path: str) -> tuple[str, str]:
    """(absolute folder, root-relative folder) of a notebook given by its Jupyter API path, confined to `root`."""
    if "\0" in api_path or "\\" in api_path:
        raise BadNotebookPath("the path may not contain NUL or backslashes")
    parts = [p for p in api_path.strip("/").split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        raise BadNotebookPath("the path must name a file below the server root, without '..'")
    if any(":" in p for p in parts) and os.name == "nt":
        raise BadNotebookPath("the path may not name a drive")
    rel_folder = "/".join(parts[:-1])
    real_root = os.path.realpath(root)
    folder = os.path.realpath(os.path.join(real_root, *parts[:-1]))
    # Symlinks may point anywhere; the resolved folder must still be inside the root.
    if not inside(real_root, folder):
        raise BadNotebookPath("the path leaves the server root")
    if not os.path.isdir(folder):
        raise MissingFolder(rel_folder)
    return folder, rel_folder


def yml_name(path: str) -> str | None:
    """The top-level `name:` of an environment.yml, or None when absent, unreadable or not a plain name."""
    try:
        data = read_regular(path, _YML_MAX)
    except (OSError, TooLarge):
        return None
    match = _NAME_LINE.search(data)
    if match is None:
        return None
    try:
        value = match.group(1).decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if not value or len(value) > 255 or any(c in value for c in "\n\r/\\:*?\"'<>|&{}[],"):
        return None
    return value


def inside(real_root: str, path: str) -> bool:
    try:
        return os.path.commonpath([real_root, path]) == real_root
    except ValueError:  # another drive (Windows)
        return False


def _is_prefix(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "conda-meta", "history"))


def _local_prefix(folder: str, real_root: str, shared: Callable[[str], bool]) -> str | None:
    """The project-local prefix in `folder`: a preferred name first, else any sub-folder that is a prefix.

    `shared(realpath)` tells a conda installation's own environments (a root, or one in its envs folder) apart:
    a server root that holds ~/miniconda3 must not make `base` every notebook's project environment.
    """
    candidates = [os.path.join(folder, *rel.split("/")) for rel in _PREFERRED_PREFIXES]
    try:
        with os.scandir(folder) as it:
            children = sorted(e.name for _, e in zip(range(_CHILDREN_MAX), it, strict=False) if e.is_dir())
    except OSError:
        children = []
    candidates += [os.path.join(folder, name) for name in children]
    for candidate in candidates:
        if not _is_prefix(candidate):
            continue
        real = os.path.realpath(candidate)
        if inside(real_root, real) and not shared(real):
            return candidate
    return None


def _parents(rel: str) -> list[str]:
    chain = [rel]
    while rel:
        rel = posixpath.dirname(rel)
        chain.append(rel)
    return chain


def resolve_project(
    root: str,
    api_path: str,
    env_by_name: Callable[[str], str | None],
    shared: Callable[[str], bool] = lambda _prefix: False,
) -> ProjectResolution:
    """Walk from the notebook's folder up to `root`. `env_by_name(name)` → prefix of an existing environment;
    `shared(realpath)` → the prefix belongs to a conda installation (never a project's own)."""
    _folder, start = notebook_folder(root, api_path)
    real_root = os.path.realpath(root)
    result = ProjectResolution(None)
    # Walk the path as the user sees it (folder names under the root), checking each resolved folder stays inside.
    for rel in _parents(start):
        folder = os.path.realpath(os.path.join(real_root, *rel.split("/"))) if rel else real_root
        if not inside(real_root, folder):
            continue
        prefix = _local_prefix(folder, real_root, shared)
        if prefix is not None:
            inner = os.path.relpath(prefix, folder).replace(os.sep, "/")
            result.match = ProjectMatch("prefix", rel, posixpath.join(rel, inner), os.path.realpath(prefix))
            return result
        for yml in _YML_NAMES:
            path = os.path.join(folder, yml)
            # A yml symlinked from outside the root is not read (its name would be echoed back).
            if not os.path.isfile(path) or not inside(real_root, os.path.realpath(path)):
                continue
            rel_file = posixpath.join(rel, yml)
            name = yml_name(path)
            if name is None:
                result.unresolved.append(Unresolved(rel_file, "", "no top-level name: line"))
                continue
            env_prefix = env_by_name(name)
            if env_prefix is None:
                result.unresolved.append(Unresolved(rel_file, name, f"no environment named {name!r}"))
                continue
            result.match = ProjectMatch("environment.yml", rel, rel_file, env_prefix, name)
            return result
    return result

"""Which `.condarc` files conda reads, and the `envs_dirs` they name.

The search path follows conda's documented order (`conda config --show-sources`): system files, the root
prefix's, XDG and home files, the active prefix's, then `$CONDARC`. Parsed files are cached by mtime because
YAML parsing dominates a warm listing otherwise.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

import yaml

from ..core.files import read_regular

_RC_NAMES = (".condarc", "condarc")
# Real condarc files are a few KB; a bigger one is not configuration and is not parsed.
_MAX_CONDARC_BYTES = 1024 * 1024


def _rc_candidates(directory: str) -> list[str]:
    files = [os.path.join(directory, name) for name in _RC_NAMES]
    condarc_d = os.path.join(directory, "condarc.d")
    try:
        names = sorted(os.listdir(condarc_d))
    except OSError:
        names = []
    files.extend(os.path.join(condarc_d, n) for n in names if n.endswith((".yml", ".yaml")))
    return files


SYSTEM_CONDARC_DIRS = ("/etc/conda", "/var/lib/conda")


def condarc_search_path(
    environ: dict[str, str], home: str, root_prefixes: list[str], system_dirs: tuple[str, ...] = SYSTEM_CONDARC_DIRS
) -> list[str]:
    """Every file conda would read, existing or not, in conda's order."""
    files: list[str] = []
    for system in system_dirs:
        files += _rc_candidates(system)
    for root in root_prefixes:
        files += _rc_candidates(root)
    xdg = environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    files += _rc_candidates(os.path.join(xdg, "conda"))
    files += _rc_candidates(os.path.join(home, ".config", "conda"))
    files += _rc_candidates(os.path.join(home, ".conda"))
    files.append(os.path.join(home, ".condarc"))
    if environ.get("CONDA_PREFIX"):
        files += _rc_candidates(environ["CONDA_PREFIX"])
    if environ.get("CONDARC"):
        files.append(environ["CONDARC"])
    seen: set[str] = set()
    unique: list[str] = []
    for f in files:
        if f not in seen:
            seen.add(f)
            unique.append(f)
    return unique


class _Parsed(NamedTuple):
    mtime: int
    envs_dirs: list[str]
    channels: list[str]
    error: str | None
    channel_alias: str | None = None
    custom_channels: tuple[tuple[str, str], ...] = ()


_MISSING = _Parsed(0, [], [], None)


class CondarcReader:
    """Reads `envs_dirs` and `channels` from condarc files, re-parsing a file only when its mtime changes.

    The raw entries are cached, not their expansion: `~` and `$VARS` are expanded against each call's environment.
    """

    def __init__(self) -> None:
        self._cache: dict[str, _Parsed] = {}

    def _read(self, path: str) -> _Parsed:
        try:
            mtime = os.stat(path).st_mtime_ns
        except OSError:
            return _MISSING
        cached = self._cache.get(path)
        if cached is None or cached.mtime != mtime:
            cached = _parse(path, mtime)
            self._cache[path] = cached
        return cached

    def envs_dirs(self, path: str, environ: dict[str, str], home: str) -> tuple[list[str], str | None]:
        """(envs dirs named in the file, an error message or None). A missing file gives ([], None)."""
        parsed = self._read(path)
        return [expand_path(item, environ, home) for item in parsed.envs_dirs], parsed.error

    def channel_locations(self, paths: list[str]) -> tuple[tuple[str, str], ...]:
        """Where named channels live, as conda names them: `(URL, name)` for each `custom_channels` entry
        (`<location>/<name>`), then `(channel_alias, "")` (a channel under the alias is named by the rest of its
        URL). Later (higher-precedence) files win, as for every conda setting."""
        alias: str | None = None
        custom: dict[str, str] = {}
        for path in paths:
            parsed = self._read(path)
            alias = parsed.channel_alias or alias
            custom.update(parsed.custom_channels)
        pairs = [(f"{location.rstrip('/')}/{name}", name) for name, location in custom.items()]
        if alias:
            pairs.append((alias.rstrip("/"), ""))
        return tuple(pairs)

    def channels(self, paths: list[str]) -> list[str]:
        """The `channels:` list conda would use, merged over `paths` in conda's search order.

        conda merges sequence settings so that a later (higher-precedence) file's entries come first.
        """
        merged: list[str] = []
        for path in paths:
            merged = self._read(path).channels + merged
        return list(dict.fromkeys(merged))


def _string_list(data: dict[Any, Any], *keys: str) -> list[str] | None:
    """The first of `keys` present, as a list of strings (a single string is a list of one); None if malformed."""
    for key in keys:
        if key in data:
            raw = data[key]
            if raw is None:
                return []
            if isinstance(raw, str):
                return [raw]
            if not isinstance(raw, list):
                return None
            return [item for item in raw if isinstance(item, str)]
    return []


def _parse(path: str, mtime: int) -> _Parsed:
    try:
        text = read_regular(path, _MAX_CONDARC_BYTES).decode("utf-8")
        data = yaml.safe_load(text) if text.strip() else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        return _Parsed(mtime, [], [], f"{path}: {type(err).__name__}: {err}")
    if data is None:
        return _Parsed(mtime, [], [], None)
    if not isinstance(data, dict):
        return _Parsed(mtime, [], [], f"{path}: not a mapping")
    # `envs_path` is conda's older alias of `envs_dirs`.
    envs_dirs = _string_list(data, "envs_dirs", "envs_path")
    channels = _string_list(data, "channels") or []
    alias = data.get("channel_alias")
    custom_raw = data.get("custom_channels")
    custom = tuple(
        (name, location)
        for name, location in (custom_raw.items() if isinstance(custom_raw, dict) else ())
        if isinstance(name, str) and isinstance(location, str) and name and location
    )
    naming = (alias if isinstance(alias, str) and alias.strip() else None, custom)
    if envs_dirs is None:
        return _Parsed(mtime, [], channels, f"{path}: envs_dirs is not a list", *naming)
    return _Parsed(mtime, envs_dirs, channels, None, *naming)


def expand_path(value: str, environ: dict[str, str], home: str) -> str:
    """`~` and `$VAR`/`${VAR}` expansion against the given environment, as conda does for config paths."""
    if value == "~" or value.startswith("~/"):
        value = home + value[1:]
    out = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "$":
            if value.startswith("${", i):
                end = value.find("}", i)
                if end != -1:
                    out.append(environ.get(value[i + 2 : end], ""))
                    i = end + 1
                    continue
            j = i + 1
            while j < len(value) and (value[j].isalnum() or value[j] == "_"):
                j += 1
            if j > i + 1:
                out.append(environ.get(value[i + 1 : j], ""))
                i = j
                continue
        out.append(ch)
        i += 1
    return os.path.normpath("".join(out))

"""Find every conda environment on the machine by reading files — never by running conda.

Sources (DESIGN.md principle 1): `~/.conda/environments.txt`, the `envs_dirs` of every condarc, `CONDA_ENVS_PATH`,
the roots behind `CONDA_EXE`/`MAMBA_EXE`/`MAMBA_ROOT_PREFIX`, the server's own prefix, configured extra dirs, and
project-local prefixes under the server root. An environment is identified by its realpath, so a symlinked or
repeated entry is one environment that remembers every source it came from.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from typing import Literal

from ..core.ids import env_id
from ..core.urls import set_channel_locations
from .condarc import SYSTEM_CONDARC_DIRS, CondarcReader, condarc_search_path, expand_path
from .project_prefixes import ProjectScanner

Kind = Literal["base", "named", "path", "project"]
Manager = Literal["conda", "mamba", "micromamba", "pixi", "unknown"]

# When one prefix is reached several ways, the most specific naming wins (as `conda env list` names it).
_KIND_RANK: dict[str, int] = {"base": 0, "named": 1, "project": 2, "path": 3}
# Executable names as they appear in `# cmd:` lines of conda-meta/history, longest first.
_HISTORY_TOOLS: tuple[tuple[str, Manager], ...] = (
    ("micromamba", "micromamba"),
    ("mamba", "mamba"),
    ("conda", "conda"),
    ("pixi", "pixi"),
)
# Installation folders people commonly have even when CONDA_EXE is not in the server's environment.
_DEFAULT_ROOT_NAMES = ("miniconda3", "anaconda3", "miniforge3", "mambaforge", "micromamba")


@dataclass
class DiscoveryOptions:
    environ: dict[str, str]
    home: str
    server_prefix: str
    server_root: str | None = None
    extra_env_dirs: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    project_scan_depth: int = 3
    project_scan_limit: int = 5000
    # Project-local prefixes found next to notebooks (outside the bounded scan); listed as project environments.
    project_prefixes: tuple[str, ...] = ()
    system_condarc_dirs: tuple[str, ...] = SYSTEM_CONDARC_DIRS


@dataclass
class DiscoveredEnv:
    id: str
    prefix: str
    name: str
    kind: Kind
    manager: Manager
    sources: list[str]
    is_server_env: bool

    @property
    def conda_default_env(self) -> str:
        """What `conda activate` puts in CONDA_DEFAULT_ENV: the name of a root or named env, else the path."""
        return self.name if self.kind in ("base", "named") else self.prefix


@dataclass(frozen=True)
class Skipped:
    path: str
    source: str
    reason: str


@dataclass
class DiscoveryResult:
    environments: list[DiscoveredEnv]
    skipped: list[Skipped]
    server_prefix: str
    # The installation conda would run from (CONDA_EXE's root first): the one whose base is "base" in kernel names.
    primary_root: str | None = None
    # The `channels:` of the condarc files conda reads, merged in conda's order (exports list them after the
    # channels the packages came from, as `conda env export` does).
    condarc_channels: list[str] = field(default_factory=list)
    # Where conda puts a new named environment, in its order: CONDA_ENVS_PATH and the condarc `envs_dirs` first,
    # then the primary root's `envs`, then `~/.conda/envs` (conda's `context.envs_dirs`).
    create_dirs: list[str] = field(default_factory=list)


def is_prefix(path: str) -> bool:
    """A conda prefix is a folder with `conda-meta/` (conda's own test, `PrefixData.is_environment`)."""
    return os.path.isdir(os.path.join(path, "conda-meta"))


class Discoverer:
    """Stateful only for caches (parsed condarc files, the last project scan), each checked against mtimes."""

    def __init__(self) -> None:
        self._condarc = CondarcReader()
        self._projects = ProjectScanner()

    def discover(self, options: DiscoveryOptions) -> DiscoveryResult:
        run = _Run(options, self._condarc, self._projects)
        run.collect()
        return run.result()


@dataclass
class _Candidate:
    path: str
    kind: Kind
    source: str
    root: str | None = None


class _Run:
    def __init__(self, options: DiscoveryOptions, condarc: CondarcReader, projects: ProjectScanner) -> None:
        self.o = options
        self.condarc = condarc
        self.projects = projects
        self.server_prefix = os.path.realpath(options.server_prefix)
        self.roots: dict[str, tuple[str, Manager]] = {}
        self.envs_dirs: dict[str, tuple[str, str | None]] = {}
        self.candidates: list[_Candidate] = []
        self.skipped: list[Skipped] = []
        self._real_dirs: tuple[set[str], set[str]] | None = None
        self.condarc_channels: list[str] = []
        self.configured_envs_dirs: list[str] = []

    # -- sources ---------------------------------------------------------------------------------------------
    def collect(self) -> None:
        self._find_roots()
        self._find_envs_dirs()
        for root, (source, _manager) in self.roots.items():
            if is_prefix(root):
                self.candidates.append(_Candidate(root, "base", source, root))
        for envs_dir, (source, owner_root) in self.envs_dirs.items():
            self._scan_envs_dir(envs_dir, source, owner_root)
        self._read_environments_txt()
        self._add_server_prefix()
        self._scan_projects()

    def _add_root(self, path: str, source: str, manager: Manager) -> None:
        path = os.path.normpath(path)
        if path not in self.roots and os.path.isdir(path):
            self.roots[path] = (source, manager)

    def _find_roots(self) -> None:
        env = self.o.environ
        conda_exe = env.get("CONDA_EXE")
        if conda_exe:
            # <root>/bin/conda or <root>/condabin/conda
            self._add_root(os.path.dirname(os.path.dirname(conda_exe)), "CONDA_EXE", "conda")
        mamba_exe = env.get("MAMBA_EXE")
        if mamba_exe:
            parent = os.path.dirname(os.path.dirname(mamba_exe))
            manager: Manager = "micromamba" if os.path.basename(mamba_exe).startswith("micromamba") else "mamba"
            if is_prefix(parent) or os.path.isdir(os.path.join(parent, "envs")):
                self._add_root(parent, "MAMBA_EXE", manager)
        if env.get("MAMBA_ROOT_PREFIX"):
            self._add_root(env["MAMBA_ROOT_PREFIX"], "MAMBA_ROOT_PREFIX", "micromamba")
        # The server's own prefix may be `<root>/envs/<name>`: its root is an installation too.
        parent = os.path.dirname(self.server_prefix)
        if os.path.basename(parent) == "envs" and is_prefix(os.path.dirname(parent)):
            self._add_root(os.path.dirname(parent), "server", "conda")
        for name in _DEFAULT_ROOT_NAMES:
            candidate = os.path.join(self.o.home, name)
            if is_prefix(candidate) or os.path.isdir(os.path.join(candidate, "envs")):
                self._add_root(candidate, "default location", "conda")

    def _add_envs_dir(self, path: str, source: str, root: str | None = None) -> None:
        path = os.path.normpath(path)
        if path not in self.envs_dirs:
            self.envs_dirs[path] = (source, root)

    def _find_envs_dirs(self) -> None:
        env = self.o.environ
        for root, (source, _manager) in self.roots.items():
            self._add_envs_dir(os.path.join(root, "envs"), source, root)
        for var in ("CONDA_ENVS_PATH", "CONDA_ENVS_DIRS"):
            for item in (env.get(var) or "").split(os.pathsep):
                if item.strip():
                    self._add_envs_dir(expand_path(item.strip(), env, self.o.home), var)
                    self.configured_envs_dirs.append(os.path.normpath(expand_path(item.strip(), env, self.o.home)))
        rc_files = condarc_search_path(env, self.o.home, list(self.roots), self.o.system_condarc_dirs)
        self.condarc_channels = self.condarc.channels(rc_files)
        set_channel_locations(self.condarc.channel_locations(rc_files))
        from_condarc: list[str] = []
        for rc in rc_files:
            dirs, error = self.condarc.envs_dirs(rc, env, self.o.home)
            if error:
                self.skipped.append(Skipped(rc, "condarc", error))
            for d in dirs:
                self._add_envs_dir(d, f"envs_dirs ({rc})")
            # conda merges lists with the later (higher-precedence) file's entries first.
            from_condarc = [os.path.normpath(d) for d in dirs] + from_condarc
        self.configured_envs_dirs.extend(from_condarc)
        self._add_envs_dir(os.path.join(self.o.home, ".conda", "envs"), "~/.conda/envs")
        for d in self.o.extra_env_dirs:
            self._add_envs_dir(expand_path(d, env, self.o.home), "extra_env_dirs")

    def _scan_envs_dir(self, envs_dir: str, source: str, root: str | None) -> None:
        try:
            entries = sorted(os.scandir(envs_dir), key=lambda e: e.name)
        except FileNotFoundError:
            return
        except OSError as err:
            self.skipped.append(Skipped(envs_dir, source, f"cannot list: {err.strerror or err}"))
            return
        for entry in entries:
            if entry.name.startswith(".") or not is_prefix(entry.path):
                continue
            self.candidates.append(_Candidate(entry.path, "named", source, root))

    def _read_environments_txt(self) -> None:
        path = os.path.join(self.o.home, ".conda", "environments.txt")
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return
        except OSError as err:
            self.skipped.append(Skipped(path, "environments.txt", f"cannot read: {err.strerror or err}"))
            return
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if not os.path.exists(line):
                self.skipped.append(Skipped(line, "environments.txt", "path no longer exists"))
            elif not is_prefix(line):
                self.skipped.append(Skipped(line, "environments.txt", "not a conda environment (no conda-meta)"))
            else:
                self.candidates.append(_Candidate(line, self._kind_of(line), "environments.txt"))

    def _real_roots_and_envs_dirs(self) -> tuple[set[str], set[str]]:
        # Computed once per run: every environments.txt line is classified against the same folders.
        if self._real_dirs is None:
            self._real_dirs = (
                {os.path.realpath(r) for r in self.roots},
                {os.path.realpath(d) for d in self.envs_dirs},
            )
        return self._real_dirs

    def _kind_of(self, path: str) -> Kind:
        norm = os.path.normpath(path)
        real_roots, real_envs_dirs = self._real_roots_and_envs_dirs()
        if os.path.realpath(norm) in real_roots:
            return "base"
        parent = os.path.dirname(norm)
        if parent in self.envs_dirs or os.path.realpath(parent) in real_envs_dirs:
            return "named"
        if os.path.isdir(os.path.join(norm, "condabin")):
            return "base"
        return "path"

    def _add_server_prefix(self) -> None:
        if is_prefix(self.server_prefix):
            self.candidates.append(_Candidate(self.server_prefix, self._kind_of(self.server_prefix), "server"))

    def _scan_projects(self) -> None:
        for prefix in self.o.project_prefixes:
            if is_prefix(prefix):
                self.candidates.append(_Candidate(prefix, "project", "notebook project"))
        root = self.o.server_root
        if not root or self.o.project_scan_depth < 0:
            return
        scan = self.projects.scan(root, self.o.project_scan_depth, self.o.project_scan_limit)
        for prefix in scan.prefixes:
            self.candidates.append(_Candidate(prefix, "project", "project scan"))
        if scan.truncated_at is not None:
            # Said, not silent: a user missing a project env learns why and can raise the limit or move it.
            reason = f"not searched further: the project scan stops after {self.o.project_scan_limit} entries"
            self.skipped.append(Skipped(scan.truncated_at, "project scan", reason))

    # -- merge -----------------------------------------------------------------------------------------------
    def _manager_of(self, prefix: str, root: str | None) -> Manager:
        if f"{os.sep}.pixi{os.sep}envs{os.sep}" in prefix + os.sep:
            return "pixi"
        for r, (_source, manager) in self.roots.items():
            rr = os.path.realpath(r)
            in_root = os.path.dirname(os.path.dirname(prefix)) == rr
            if prefix == rr or in_root or (root is not None and os.path.realpath(root) == rr):
                return _refine_manager(rr, manager)
        return _manager_from_history(prefix)

    def _display_name(self, cand: _Candidate, prefix: str) -> str:
        if cand.kind == "base":
            return "base"
        if cand.kind == "named":
            return os.path.basename(os.path.normpath(cand.path))
        if cand.kind == "project" and self.o.server_root:
            return os.path.relpath(cand.path, self.o.server_root)
        return prefix

    def result(self) -> DiscoveryResult:
        merged: dict[str, tuple[_Candidate, DiscoveredEnv]] = {}
        for cand in self.candidates:
            prefix = os.path.realpath(cand.path)
            current = merged.get(prefix)
            if current is None:
                env = DiscoveredEnv(
                    id=env_id(prefix),
                    prefix=prefix,
                    name=self._display_name(cand, prefix),
                    kind=cand.kind,
                    manager=self._manager_of(prefix, cand.root),
                    sources=[cand.source],
                    is_server_env=prefix == self.server_prefix,
                )
                merged[prefix] = (cand, env)
                continue
            best, env = current
            if cand.source not in env.sources:
                env.sources.append(cand.source)
            if _KIND_RANK[cand.kind] < _KIND_RANK[best.kind]:
                env.kind = cand.kind
                env.name = self._display_name(cand, prefix)
                merged[prefix] = (cand, env)
        envs: list[DiscoveredEnv] = []
        for _cand, env in merged.values():
            pattern = _matching_exclude(env, self.o.exclude)
            if pattern is not None:
                self.skipped.append(Skipped(env.prefix, ", ".join(env.sources), f"excluded by pattern {pattern!r}"))
                continue
            envs.append(env)
        envs.sort(key=lambda e: (_KIND_RANK[e.kind], e.name.casefold(), e.prefix))
        primary = next((os.path.realpath(r) for r in self.roots if is_prefix(r)), None)
        create_dirs = [*self.configured_envs_dirs]
        if primary is not None:
            create_dirs.append(os.path.join(primary, "envs"))
        create_dirs.append(os.path.join(self.o.home, ".conda", "envs"))
        return DiscoveryResult(
            envs, self.skipped, self.server_prefix, primary, self.condarc_channels, list(dict.fromkeys(create_dirs))
        )


def _matching_exclude(env: DiscoveredEnv, patterns: list[str]) -> str | None:
    for pattern in patterns:
        if fnmatch.fnmatchcase(env.name, pattern) or fnmatch.fnmatchcase(env.prefix, pattern):
            return pattern
    return None


def _refine_manager(root: str, default: Manager) -> Manager:
    if default == "conda" and os.path.exists(os.path.join(root, "bin", "mamba")):
        return "mamba"
    return default


def _manager_from_history(prefix: str) -> Manager:
    """The first `# cmd:` line of conda-meta/history names the tool that created the env."""
    try:
        with open(os.path.join(prefix, "conda-meta", "history"), encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return "unknown"
    for line in head.splitlines():
        if line.startswith("# cmd:"):
            tool = os.path.basename(line[6:].strip().split(" ", 1)[0])
            for name, manager in _HISTORY_TOOLS:
                if tool.startswith(name):
                    return manager
    return "unknown"

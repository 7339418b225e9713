"""The domain façade the HTTP handlers call: discovery + inventory + kernels, as JSON-ready dicts.

Blocking file-system work lives here and is called through `asyncio.to_thread` by the routes.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from ..core.ids import is_well_formed_id
from ..export.history_specs import read_history
from ..export.render import ExportMode, export_name, lock_block, package_digest, read_state_variables, render_export
from ..kernels.env_kernelspecs import EnvForKernels, known_env_bins
from ..kernels.project_env import resolve_project
from ..kernels.spec_environments import KernelRef, kernels_by_prefix
from .discovery import DiscoveredEnv, Discoverer, DiscoveryOptions, DiscoveryResult
from .frozen import frozen_message
from .inventory import Inventory, Packages, Summary
from .package import Package

KernelSpecs = Mapping[str, Mapping[str, Any]]


class UnknownEnvironment(LookupError):
    pass


@dataclass(frozen=True)
class Exported:
    env: DiscoveredEnv
    mode: ExportMode
    text: str
    packages: Sequence[Package]
    python_version: str | None


@dataclass(frozen=True)
class Snapshot:
    """A snapshot file's text (the export plus every installed package), and what the notebook records of it."""

    text: str
    metadata: dict[str, Any]


class EnvironmentService:
    def __init__(self, options: Callable[[], DiscoveryOptions], cache: bool = True) -> None:
        self._options = options
        self._discoverer = Discoverer()
        self.inventory = Inventory(enabled=cache)
        self._last: DiscoveryResult | None = None
        self._packages_json: dict[str, tuple[Packages, bytes]] = {}
        self._project_prefixes: frozenset[str] = frozenset()

    @property
    def options(self) -> DiscoveryOptions:
        options = self._options()
        options.project_prefixes = tuple(sorted(self._project_prefixes))
        return options

    def discover(self) -> DiscoveryResult:
        self._last = self._discoverer.discover(self.options)
        return self._last

    def remember_project_prefix(self, prefix: str) -> None:
        """A project-local prefix found beside a notebook stays listed even where the bounded scan does not reach."""
        # Replaced, not mutated: the kernelspec manager reads it on the event loop while a route thread adds.
        self._project_prefixes = self._project_prefixes | {prefix}

    def has_ipykernel(self, prefix: str) -> bool:
        try:
            return self.inventory.summary(prefix).has_ipykernel
        except Exception:  # an unreadable environment simply provides no kernel
            return False

    def list_environments_json(self, specs: KernelSpecs) -> bytes:
        return _dumps(self.list_environments(specs))

    def list_environments(self, specs: KernelSpecs) -> dict[str, Any]:
        result = self.discover()
        # Forget environments that are gone, so the caches stay as large as the machine's set of environments.
        live = {e.prefix for e in result.environments}
        self.inventory.retain(live)
        for prefix in set(self._packages_json) - live:
            self._packages_json.pop(prefix, None)
        kernels = kernels_by_prefix(specs, live, result.server_prefix)
        envs = []
        for env in result.environments:
            envs.append(self._summary_json(env, kernels.get(env.prefix, [])))
        return {
            "environments": envs,
            "skipped": [asdict(s) for s in result.skipped],
            "server_prefix": result.server_prefix,
        }

    def _summary_json(self, env: DiscoveredEnv, kernels: list[KernelRef]) -> dict[str, Any]:
        try:
            summary = self.inventory.summary(env.prefix)
        except Exception as err:  # one unreadable environment must not fail the whole listing
            summary = Summary(None, 0, 0, False, False, [f"cannot read this environment: {err!r}"])
        # Read on every listing, not cached with the summary: rewriting the message in place moves no mtime the
        # cache keys on, and the common case (no file) is one failed stat.
        frozen = frozen_message(env.prefix)
        return {
            "id": env.id,
            "name": env.name,
            "prefix": env.prefix,
            "kind": env.kind,
            "manager": env.manager,
            "sources": env.sources,
            "python_version": summary.python_version,
            "package_counts": {"conda": summary.conda_count, "pip": summary.pip_count},
            "has_ipykernel": summary.has_ipykernel,
            "kernels": [asdict(k) for k in kernels],
            "is_server_env": env.is_server_env,
            "writable": summary.writable,
            "frozen": frozen is not None,
            "frozen_message": frozen or None,
            "errors": summary.errors,
            "revision": summary.revision,
        }

    def project_json(self, root: str, api_path: str, specs: Callable[[], KernelSpecs]) -> bytes:
        """The project environment of the notebook at `api_path` (see project_env), with the kernel to switch to.

        `specs` is called after the walk: a prefix found by it is listed from then on, kernel included."""
        result = self.discover()
        by_name: dict[str, str] = {}
        for known in result.environments:
            if known.kind in ("base", "named"):
                by_name.setdefault(known.name, known.prefix)
        shared = {e.prefix for e in result.environments if e.kind in ("base", "named")}

        def is_shared(prefix: str) -> bool:
            # Also a root nobody configured: it has conda's own folders.
            return prefix in shared or os.path.isdir(os.path.join(prefix, "condabin"))

        resolution = resolve_project(root, api_path, by_name.get, is_shared)
        match = resolution.match
        project: dict[str, Any] | None = None
        if match is not None and match.prefix is not None:
            env = next((e for e in result.environments if e.prefix == match.prefix), None)
            if env is None and match.source == "prefix":
                self.remember_project_prefix(match.prefix)
                result = self.discover()
                env = next((e for e in result.environments if e.prefix == match.prefix), None)
            if env is not None:  # None: the environment is excluded by configuration
                kernels = kernels_by_prefix(specs(), {env.prefix}, result.server_prefix).get(env.prefix, [])
                project = {
                    "environment_id": env.id,
                    "name": env.name,
                    "prefix": env.prefix,
                    "source": match.source,
                    "file": match.file,
                    "folder": match.folder,
                    "kernel": _preferred_kernel(kernels),
                }
        return _dumps(
            {
                "path": api_path,
                "project": project,
                "unresolved": [asdict(u) for u in resolution.unresolved],
            }
        )

    def kernel_env(self, env_id: str) -> EnvForKernels:
        """An environment as its kernels run it (for the probe: the same activation)."""
        env = self.find(env_id)
        result = self._last if self._last is not None else self.discover()
        return EnvForKernels(
            prefix=env.prefix,
            env_name=env.name,
            conda_default_env=env.conda_default_env,
            has_ipykernel=False,
            is_base=env.kind == "base",
            env_bins=known_env_bins([e.prefix for e in result.environments]),
        )

    def find(self, env_id: str) -> DiscoveredEnv:
        """Resolve an id to a discovered environment; ids never name paths, so nothing else can be reached."""
        if not is_well_formed_id(env_id):
            raise UnknownEnvironment(env_id)
        # The last listing answers the common case; a fresh discovery covers envs created since.
        env = _lookup(self._last, env_id) if self._last is not None else None
        if env is None:
            env = _lookup(self.discover(), env_id)
        if env is None:
            raise UnknownEnvironment(env_id)
        return env

    def export(self, env_id: str, mode: ExportMode) -> Exported:
        """The environment file of `mode`, rendered from the records (no conda process)."""
        env = self.find(env_id)
        inventory = self.inventory.packages(env.prefix)
        result = self._last if self._last is not None else self.discover()
        history = read_history(env.prefix) if mode == "history" else None
        text = render_export(
            export_name(env.name, env.prefix, env.kind),
            inventory.packages,
            history,
            mode,
            result.condarc_channels,
            variables=read_state_variables(env.prefix),
        )
        python = next((p.version for p in inventory.packages if p.name == "python" and p.source == "conda"), None)
        return Exported(env, mode, text, inventory.packages, python)

    def snapshot(self, env_id: str, mode: ExportMode) -> Snapshot:
        exported = self.export(env_id, mode)
        env = exported.env
        metadata = {
            "environment": env.name,
            "environment_id": env.id,
            "prefix": env.prefix,
            "mode": mode,
            "python": exported.python_version,
            "digest": package_digest(exported.packages),
            "packages": len(exported.packages),
            "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        text = exported.text.rstrip("\n") + "\n" + lock_block(exported.packages)
        return Snapshot(text, metadata)

    def packages_json(self, env_id: str) -> bytes:
        """The packages response as JSON text, serialised once per inventory read (it is the warm path's cost)."""
        env = self.find(env_id)
        inventory = self.inventory.packages(env.prefix)
        cached = self._packages_json.get(env.prefix)
        if cached is not None and cached[0] is inventory:
            return cached[1]
        text = _dumps(
            {
                "id": env.id,
                "prefix": env.prefix,
                # Dataclasses as they are: orjson serialises them natively, field for field.
                "packages": inventory.packages,
                "errors": inventory.errors,
                # What a snapshot records: the UI compares it to tell whether the env changed since.
                "digest": package_digest(inventory.packages),
            }
        )
        if self.inventory.enabled:
            self._packages_json[env.prefix] = (inventory, text)
        return text


def _dumps(data: dict[str, Any]) -> bytes:
    """orjson: several times faster than the standard library on a 400-package response. It refuses the lone
    surrogates that undecodable file names carry, which the standard library escapes."""
    try:
        return orjson.dumps(data)
    except orjson.JSONEncodeError:
        return json.dumps(data, default=vars).encode("ascii")


def _preferred_kernel(kernels: list[KernelRef]) -> str | None:
    """The environment's Python kernel from this extension (or nb_conda_kernels), else any Python, else any."""
    ranked = sorted(kernels, key=lambda k: (k.language.lower() != "python", not k.name.startswith("conda-"), k.name))
    return ranked[0].name if ranked else None


def _lookup(result: DiscoveryResult, env_id: str) -> DiscoveredEnv | None:
    for env in result.environments:
        if env.id == env_id and os.path.isdir(env.prefix):
            return env
    return None

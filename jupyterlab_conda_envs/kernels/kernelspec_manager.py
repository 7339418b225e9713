"""A KernelSpecManager that adds a kernel for every conda environment, with no `ipykernel install` by anyone.

Installed as the server's manager when the server extension links (see `_link_jupyter_server_extension`), so
installing the package is all it takes. It also replaces nb_conda_kernels' manager when that is configured: both
name kernels the same way, so a server with both installed lists each environment's kernel once and notebooks
saved under either open with the right kernel.

Environments are read through the same `EnvironmentService` as the panel (no conda process, mtime-checked caches),
on every listing, so an environment created or removed a second ago is in the next kernelspec request.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from traitlets import Bool, Unicode, observe

from ..environments.service import EnvironmentService
from .env_kernelspecs import (
    EnvForKernels,
    EnvKernelSpec,
    build_env_kernelspecs,
    known_env_bins,
    path_with_reals,
    read_kernel_json,
)
from .names import kernel_name, name_environments

_RESOURCES = str(Path(__file__).parent / "kernel_resources")
_DEFAULT_FORMAT = "{language} [conda env:{environment}]"
_MEMO_SECONDS = 2.0


def replaceable_manager(cls: object) -> bool:
    """The default manager, or nb_conda_kernels' (replaced by name: it is a conda-only package, maybe absent)."""
    if cls is KernelSpecManager:
        return True
    module = getattr(cls, "__module__", "") or ""
    return getattr(cls, "__name__", "") == "CondaKernelSpecManager" and module.startswith("nb_conda_kernels")


class CondaEnvsKernelSpecManager(KernelSpecManager):
    conda_kernels = Bool(
        True, help="Add a kernel for every conda environment with ipykernel and every kernelspec one carries."
    ).tag(config=True)

    name_format = Unicode(
        _DEFAULT_FORMAT,
        help="Display name of environment kernels. Fields: {language}, {environment}, {kernel} (py, r, ...), "
        "{conda_kernel} (the kernel name), {display_name} (the carried kernelspec's); {0}/{1} = language/environment "
        "as in nb_conda_kernels.",
    ).tag(config=True)

    env_filter = Unicode(
        None,
        allow_none=True,
        help="Regular expression; environments whose prefix matches it get no kernels (nb_conda_kernels' option). "
        "c.CondaEnvs.exclude hides environments from the panel and from the kernels alike.",
    ).tag(config=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._service: EnvironmentService | None = None
        self._memo: tuple[float, dict[str, EnvKernelSpec]] | None = None
        self._filter: re.Pattern[str] | None = re.compile(self.env_filter) if self.env_filter else None

    @observe("env_filter")
    def _env_filter_changed(self, change: dict[str, Any]) -> None:
        value = change["new"]
        self._filter = re.compile(value) if value else None

    # -- wiring ------------------------------------------------------------------------------------------------
    def attach(self, service: EnvironmentService) -> None:
        """Share the server extension's service (and its caches) instead of a private one."""
        self._service = service

    @property
    def service(self) -> EnvironmentService:
        if self._service is None:
            from ..core.config import CondaEnvs
            from ..environments.options import discovery_options

            config = CondaEnvs(parent=self.parent if self.parent is not None else self)
            root = getattr(self.parent, "root_dir", None)
            self._service = EnvironmentService(discovery_options(config, root), cache=config.cache)
        return self._service

    # -- environment kernels ------------------------------------------------------------------------------------
    def conda_specs(self) -> dict[str, EnvKernelSpec]:
        if not self.conda_kernels:
            return {}
        try:
            return self._build()
        except Exception:  # a broken environment must never take the kernel list (and every notebook) down
            self.log.exception("jupyterlab_conda_envs: could not build environment kernelspecs")
            return {}

    def _build(self) -> dict[str, EnvKernelSpec]:
        service = self.service
        root = service.options.server_root
        result = service.discover()
        envs = [e for e in result.environments if self._filter is None or not self._filter.search(e.prefix)]
        primary = result.primary_root
        # The primary root first, then a fixed order: who keeps an unsuffixed name depends only on what exists.
        ordered = sorted(envs, key=lambda e: (e.prefix != primary, e.prefix))
        names = {n.prefix: n.env_name for n in name_environments((e.prefix for e in ordered), primary)}
        env_bins = known_env_bins([e.prefix for e in result.environments])
        current_path = path_with_reals(os.environ.get("PATH", ""))
        specs: dict[str, EnvKernelSpec] = {}
        for env in ordered:
            env_name = names[env.prefix]
            is_base = env.prefix == primary
            info = EnvForKernels(
                prefix=env.prefix,
                env_name=env_name,
                conda_default_env=env.conda_default_env,
                has_ipykernel=service.has_ipykernel(env.prefix),
                is_base=is_base,
                is_server_env=env.is_server_env,
                env_bins=env_bins,
                trust_carried=not _inside(env.prefix, root),
            )
            namer = _namer(env_name, is_base)
            for spec in build_env_kernelspecs(info, namer, self.name_format, current_path, _RESOURCES):
                specs.setdefault(spec.name, spec)
        self._memo = (time.monotonic(), specs)
        return specs

    def _shadowed(self, found: dict[str, str], conda: dict[str, EnvKernelSpec]) -> set[str]:
        """Installed `conda-*` specs describing an environment we already provide a kernel for.

        nb_conda_kernels' `kernelspec_path` option writes its kernels to disk; listing them next to ours would show
        every environment twice. Specs of the same name are simply replaced by ours.
        """
        covered = {s.spec["metadata"]["conda_env_path"] for s in conda.values()}
        out: set[str] = set()
        for name, folder in found.items():
            if name in conda or not name.startswith("conda-"):
                continue
            data = read_kernel_json(os.path.join(folder, "kernel.json"))
            metadata = data.get("metadata") if data is not None else None
            env_path = metadata.get("conda_env_path") if isinstance(metadata, dict) else None
            if isinstance(env_path, str) and os.path.realpath(env_path) in covered:
                out.add(name)
        return out

    # -- KernelSpecManager API ----------------------------------------------------------------------------------
    def find_kernel_specs(self) -> dict[str, str]:
        return self._find(self.conda_specs())

    def _find(self, conda: dict[str, EnvKernelSpec]) -> dict[str, str]:
        found: dict[str, str] = super().find_kernel_specs()
        for name in self._shadowed(found, conda):
            del found[name]
        for name, spec in conda.items():
            if not self.allowed_kernelspecs or name in self.allowed_kernelspecs:
                found[name] = spec.resource_dir
        return found

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        # Called per kernel start and per logo request (on the event loop): a listing a moment old answers, and
        # a name it lacks is looked up afresh, so an environment created a second ago still starts.
        memo = self._memo
        fresh = memo is not None and time.monotonic() - memo[0] < _MEMO_SECONDS and self.conda_kernels
        conda = memo[1] if fresh and memo is not None else self.conda_specs()
        name = kernel_name
        if name.startswith("conda-root-"):
            # nb_conda_kernels before 2.4 called the root `root`: notebooks saved then still open.
            name = "conda-base-" + name[len("conda-root-") :]
        if name not in conda and fresh:
            conda = self.conda_specs()
        spec = conda.get(name)
        if spec is None:
            return super().get_kernel_spec(kernel_name)
        return self._kernel_spec(spec)

    def remove_kernel_spec(self, name: str) -> str:
        """Only kernelspecs on disk can be removed: environment kernels have no folder of their own (their resource
        folder belongs to the environment or to this package)."""
        on_disk: dict[str, str] = super().find_kernel_specs()
        if name not in on_disk:
            raise NoSuchKernel(name)
        return super().remove_kernel_spec(name)

    def _kernel_spec(self, spec: EnvKernelSpec) -> KernelSpec:
        return self.kernel_spec_class(resource_dir=spec.resource_dir, **spec.spec)

    def get_all_specs(self) -> dict[str, Any]:
        # One discovery for the whole listing (the base class would rebuild per kernel name).
        conda = self.conda_specs()
        out: dict[str, Any] = {}
        for name, resource_dir in self._find(conda).items():
            try:
                if name in conda:
                    spec = self._kernel_spec(conda[name]).to_dict()
                else:
                    # By folder: the base class's get_kernel_spec would list every kernel folder again per name.
                    spec = self._get_kernel_spec_by_name(name, resource_dir).to_dict()
            except NoSuchKernel:
                continue
            except Exception:
                self.log.warning("jupyterlab_conda_envs: cannot load kernelspec %r", name, exc_info=True)
                continue
            out[name] = {"resource_dir": resource_dir, "spec": spec}
        return out


def _inside(prefix: str, root: str | None) -> bool:
    return root is not None and (prefix == root or prefix.startswith(root.rstrip(os.sep) + os.sep))


def _namer(env_name: str, is_base: bool) -> Callable[[str], str]:
    return lambda key: kernel_name(env_name, key, is_base)

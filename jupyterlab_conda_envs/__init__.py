"""jupyterlab-conda-envs: conda environments, their packages and kernels, in a JupyterLab side panel."""

from __future__ import annotations

import atexit
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-conda-envs"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyterlab_conda_envs"}]


def _link_jupyter_server_extension(server_app: Any) -> None:
    """Make the server's kernelspec manager ours, before the server creates it (linking precedes that).

    A `jupyter_server_config.d` file can only enable extensions (the server reads nothing else from those files),
    so the switch happens here: enabling the extension, which `pip install` does, is all it takes. Only the default
    manager and nb_conda_kernels' (whose kernel names ours reproduce) are replaced; any other configured manager is
    kept, and `c.CondaEnvsKernelSpecManager.conda_kernels = False` keeps whatever is configured.
    """
    from .kernels.kernelspec_manager import CondaEnvsKernelSpecManager, replaceable_manager

    config = server_app.config
    wanted = config.get("CondaEnvsKernelSpecManager", {}).get("conda_kernels", True)
    # Kernels on a remote gateway are the gateway's to list.
    gateway = config.get("GatewayClient", {}).get("url") or os.environ.get("JUPYTER_GATEWAY_URL")
    if not wanted or gateway:
        return
    # Not read through the trait when unset: its default needs parts the server creates only later.
    current = server_app.kernel_spec_manager_class if server_app.trait_has_value("kernel_spec_manager_class") else None
    if isinstance(current, type) and issubclass(current, CondaEnvsKernelSpecManager):
        return
    if current is None or replaceable_manager(current):
        server_app.kernel_spec_manager_class = CondaEnvsKernelSpecManager
        server_app.log.info("jupyterlab_conda_envs: every conda environment with ipykernel is a kernel")
    else:
        server_app.log.warning(
            "jupyterlab_conda_envs: kept the configured kernel_spec_manager_class %s; environment kernels are off",
            f"{current.__module__}.{current.__qualname__}",
        )


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the routes. Nothing is read from disk here: discovery runs on the first request."""
    from .core.config import CondaEnvs
    from .core.routes import handlers
    from .environments.options import discovery_options
    from .environments.service import EnvironmentService
    from .gpu.system import system_facts
    from .jobs.runner import JobManager
    from .kernels.kernelspec_manager import CondaEnvsKernelSpecManager

    config = CondaEnvs(parent=server_app)
    service = EnvironmentService(discovery_options(config, getattr(server_app, "root_dir", None)), cache=config.cache)
    manager = getattr(server_app, "kernel_spec_manager", None)
    if isinstance(manager, CondaEnvsKernelSpecManager):
        # One service for the panel and the kernel list: the same environments, read once.
        manager.attach(service)
    web_app = server_app.web_app
    web_app.settings["conda_envs_service"] = service
    web_app.settings["conda_envs_system"] = system_facts(config)
    web_app.settings["conda_envs_probe_timeout"] = config.probe_timeout
    # GPU detection and probes wait on other programs: a pool of their own, so they cannot starve the other routes.
    web_app.settings["conda_envs_slow_executor"] = ThreadPoolExecutor(4, thread_name_prefix="conda-envs-slow")
    web_app.settings["conda_envs_create_config"] = config
    jobs = JobManager()
    web_app.settings["conda_envs_jobs"] = jobs
    _end_jobs_with_the_server(server_app, jobs)
    web_app.add_handlers(".*$", handlers(web_app.settings["base_url"]))
    kernels = "on" if isinstance(manager, CondaEnvsKernelSpecManager) and manager.conda_kernels else "off"
    server_app.log.info("jupyterlab_conda_envs %s: routes under /conda-envs/, env kernels %s", __version__, kernels)


def _end_jobs_with_the_server(server_app: Any, jobs: Any) -> None:
    """A stopping server cancels every job (ending its processes, removing what it created).

    Module extensions get no stop hook from jupyter_server (only ExtensionApp classes do), so the server's own
    `cleanup_extensions` step is wrapped; `atexit` kills any process group left if the loop never got there.
    """
    from .core.process import kill_all_now

    original = server_app.cleanup_extensions

    async def cleanup_extensions() -> None:
        try:
            await jobs.shutdown()
        finally:
            await original()

    server_app.cleanup_extensions = cleanup_extensions
    # Every group this server started (jobs, probes, nvidia-smi), which the one process runner keeps track of.
    atexit.register(kill_all_now)

"""jupyterlab-conda-envs: conda environments, their packages and kernels, in a JupyterLab side panel."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

try:
    from ._version import __version__
except ImportError:  # a source checkout that was never built
    __version__ = "dev"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-conda-envs"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyterlab_conda_envs"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the routes. Nothing is read from disk here: discovery runs on the first request."""
    from .config import CondaEnvs
    from .discovery import DiscoveryOptions
    from .routes import handlers
    from .service import EnvironmentService

    config = CondaEnvs(parent=server_app)
    root_dir = getattr(server_app, "root_dir", None)

    def options() -> DiscoveryOptions:
        # Read per request so HOME/CONDA_* changes (and config edits in tests) take effect without a restart.
        environ = dict(os.environ)
        return DiscoveryOptions(
            environ=environ,
            home=environ.get("HOME") or str(Path.home()),
            server_prefix=sys.prefix,
            server_root=os.path.realpath(root_dir) if root_dir else None,
            extra_env_dirs=list(config.extra_env_dirs),
            exclude=list(config.exclude),
            project_scan_depth=config.project_scan_depth,
        )

    web_app = server_app.web_app
    web_app.settings["conda_envs_service"] = EnvironmentService(options, cache=config.cache)
    web_app.add_handlers(".*$", handlers(web_app.settings["base_url"]))
    server_app.log.info("jupyterlab_conda_envs %s: routes under /conda-envs/", __version__)

"""Discovery options from `c.CondaEnvs` and the process environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .discovery import DiscoveryOptions


def discovery_options(config: Any, root_dir: str | None) -> Callable[[], DiscoveryOptions]:
    """Discovery options built per request from `c.CondaEnvs` and the process environment, so HOME/CONDA_*
    changes (and config edits in tests) take effect without a restart."""
    server_root = os.path.realpath(root_dir) if root_dir else None

    def options() -> DiscoveryOptions:
        environ = dict(os.environ)
        return DiscoveryOptions(
            environ=environ,
            home=environ.get("HOME") or str(Path.home()),
            server_prefix=sys.prefix,
            server_root=server_root,
            extra_env_dirs=list(config.extra_env_dirs),
            exclude=list(config.exclude),
            project_scan_depth=config.project_scan_depth,
        )

    return options

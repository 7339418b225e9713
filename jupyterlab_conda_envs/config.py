"""Server-side settings, configurable as `c.CondaEnvs.<name>` in jupyter_server_config.py."""

from __future__ import annotations

from traitlets import Bool, Int, List, Unicode
from traitlets.config import Configurable


class CondaEnvs(Configurable):
    extra_env_dirs = List(
        Unicode(),
        default_value=[],
        help="Extra folders whose sub-folders are conda environments (like conda's envs_dirs).",
    ).tag(config=True)

    exclude = List(
        Unicode(),
        default_value=[],
        help="fnmatch patterns; environments whose name or prefix matches one are not listed.",
    ).tag(config=True)

    cache = Bool(
        True,
        help="Cache each environment's package list until conda-meta/ or site-packages changes.",
    ).tag(config=True)

    project_scan_depth = Int(
        3,
        help="How many folder levels below the server root to search for project-local prefixes (-1: off).",
    ).tag(config=True)

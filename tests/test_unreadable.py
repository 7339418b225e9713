"""An environment the server cannot read is still listed, with the error; the listing as a whole never fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import REPO, env_named

# Root reads everything; these tests drop the two capabilities that let it, so permissions bite as for a user.
_AS_UNPRIVILEGED = [
    "setpriv",
    "--bounding-set",
    "-dac_override,-dac_read_search",
    "--inh-caps",
    "-dac_override,-dac_read_search",
]

_LIST = """
import json, sys
from jupyterlab_conda_envs.environments.discovery import DiscoveryOptions
from jupyterlab_conda_envs.environments.service import EnvironmentService
options = DiscoveryOptions(environ={}, home=sys.argv[1], server_prefix="/x", extra_env_dirs=[sys.argv[2]])
print(json.dumps(EnvironmentService(lambda: options).list_environments({})))
"""


def _list_as_user(home: Path, envs_dir: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-c", _LIST, str(home), str(envs_dir)]
    if os.geteuid() == 0:
        cmd = _AS_UNPRIVILEGED + cmd
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True)
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def test_unreadable_conda_meta_is_listed_with_the_error(conda_root: dict[str, Any], tmp_path: Path) -> None:
    envs = tmp_path / "envs"
    source = env_named(conda_root, "no_kernel")["prefix"]
    shutil.copytree(source, envs / "locked", symlinks=True)
    shutil.copytree(source, envs / "fine", symlinks=True)
    (envs / "locked" / "conda-meta").chmod(0)
    try:
        data = _list_as_user(tmp_path, envs)
    finally:
        (envs / "locked" / "conda-meta").chmod(0o755)
    by_name = {e["name"]: e for e in data["environments"]}
    assert by_name["locked"]["errors"] == ["cannot read conda-meta: Permission denied"]
    assert by_name["locked"]["writable"] is False
    assert by_name["fine"]["errors"] == []
    assert by_name["fine"]["python_version"] is not None


def test_unlistable_envs_dir_is_skipped_with_a_reason(conda_root: dict[str, Any], tmp_path: Path) -> None:
    envs = tmp_path / "envs"
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], envs / "hidden", symlinks=True)
    envs.chmod(0)
    try:
        data = _list_as_user(tmp_path, envs)
    finally:
        envs.chmod(0o755)
    assert data["environments"] == []
    assert [(s["path"], s["reason"]) for s in data["skipped"]] == [(str(envs), "cannot list: Permission denied")]

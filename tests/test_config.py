"""`c.CondaEnvs.*` settings reach discovery through a real server; new environments appear without a restart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import env_named


@pytest.fixture
def extra_dir(tmp_path: Path) -> Path:
    path = tmp_path / "more envs"
    path.mkdir()
    return path


@pytest.fixture
def jp_server_config(conda_environ: Path, extra_dir: Path) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_conda_envs": True},
            "allow_unauthenticated_access": False,
        },
        "CondaEnvs": {
            "extra_env_dirs": [str(extra_dir)],
            "exclude": ["legacy_*"],
            "cache": False,
        },
    }


async def _names(jp_fetch: Any) -> dict[str, dict[str, Any]]:
    response = await jp_fetch("conda-envs", "environments")
    return {e["name"]: e for e in json.loads(response.body)["environments"]}


async def test_exclude_and_extra_dirs_apply(jp_fetch: Any, jp_serverapp: Any) -> None:
    names = await _names(jp_fetch)
    assert "legacy_bert" not in names
    assert "glm_finetune" in names
    assert jp_serverapp.web_app.settings["conda_envs_service"].inventory.enabled is False


async def test_new_environment_appears_without_restart(
    jp_fetch: Any, conda_root: dict[str, Any], extra_dir: Path
) -> None:
    assert "fresh" not in await _names(jp_fetch)
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], extra_dir / "fresh", symlinks=True)
    fresh = (await _names(jp_fetch))["fresh"]
    assert fresh["kind"] == "named"
    assert fresh["sources"] == ["extra_env_dirs"]
    response = await jp_fetch("conda-envs", "environments", fresh["id"], "packages")
    assert json.loads(response.body)["packages"]
    shutil.rmtree(extra_dir / "fresh")
    assert "fresh" not in await _names(jp_fetch)


async def test_a_removed_environment_leaves_no_cache_behind(
    jp_fetch: Any, jp_serverapp: Any, conda_root: dict[str, Any], extra_dir: Path
) -> None:
    service = jp_serverapp.web_app.settings["conda_envs_service"]
    service.inventory.enabled = True  # this module's server runs with the cache off; the eviction needs it on
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], extra_dir / "brief", symlinks=True)
    brief = (await _names(jp_fetch))["brief"]
    await jp_fetch("conda-envs", "environments", brief["id"], "packages")
    assert brief["prefix"] in service.inventory._summaries and brief["prefix"] in service._packages_json
    shutil.rmtree(extra_dir / "brief")
    await _names(jp_fetch)
    assert brief["prefix"] not in service.inventory._summaries
    assert brief["prefix"] not in service.inventory._packages
    assert brief["prefix"] not in service._packages_json

"""Parity with conda's own answers (1/2): which environments exist, and what each holds.

For every environment `conda env list --json` lists in the conda-made root (fixture_root.conda_made), the
extension's REST answer must equal conda's; see tests/parity.py for how conda is run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .parity import CondaAnswers


@pytest.fixture(scope="module")
def conda(conda_made: dict[str, Any]) -> CondaAnswers:
    return CondaAnswers(conda_made)


@pytest.fixture
def jp_server_config(made_environ: object) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}, "allow_unauthenticated_access": False}
    }


async def _get(jp_fetch: Any, *parts: str) -> Any:
    response = await jp_fetch("conda-envs", *parts)
    return json.loads(response.body)


async def _environments(jp_fetch: Any) -> dict[str, dict[str, Any]]:
    data = await _get(jp_fetch, "environments")
    return {env["prefix"]: env for env in data["environments"]}


async def test_every_environment_conda_lists_and_no_other(jp_fetch: Any, conda: CondaAnswers) -> None:
    listed = conda.json("env", "list")
    ours = await _environments(jp_fetch)
    assert sorted(ours) == sorted(listed["envs"])
    for prefix, details in listed["envs_details"].items():
        env = ours[prefix]
        # conda names a path environment "" (it has no name); the extension shows its path.
        assert env["name"] == (details["name"] or prefix), prefix
        assert (env["kind"] == "base") == details["base"], prefix
        assert env["frozen"] == details["frozen"], prefix
    assert any(details["frozen"] for details in listed["envs_details"].values())


async def test_packages_equal_conda_list(jp_fetch: Any, conda: CondaAnswers) -> None:
    ours = await _environments(jp_fetch)
    for prefix in conda.json("env", "list")["envs"]:
        theirs = conda.json("list", "-p", prefix)
        data = await _get(jp_fetch, "environments", ours[prefix]["id"], "packages")
        expected = sorted((p["name"], p["version"], p["build_string"], p["channel"]) for p in theirs)
        got = sorted(
            (p["name"], p["version"], p["build"] if p["source"] == "conda" else "pypi_0", p["channel"])
            for p in data["packages"]
        )
        assert got == expected, prefix


async def test_as_root_conda_lists_other_users_environments_the_extension_its_own(
    jp_fetch: Any, conda: CondaAnswers, tmp_path: Path
) -> None:
    """The documented decision (README, "Checked against conda"): conda run as root reads the environments.txt of
    every home in the password database and skips `$HOME`'s; the extension reads its user's `$HOME` only."""
    path_env = next(e["prefix"] for e in conda.manifest["envs"] if e["name"] == "")
    roots_own = tmp_path / "root-conda"
    roots_own.mkdir()
    done = conda.as_root(roots_own, "env", "list", "--json")
    assert done.returncode == 0, done.stderr
    as_root = set(json.loads(done.stdout)["envs"])
    as_user = set(conda.json("env", "list")["envs"])
    # Only $HOME's environments.txt names the path environment: as root, conda does not see it.
    assert as_root == as_user - {path_env}
    ours = await _environments(jp_fetch)
    assert set(ours) == as_user
    # And what another user's file names (here root's own, in the password database), root conda lists.
    (roots_own / "environments.txt").write_text(f"{path_env}\n", encoding="utf-8")
    done = conda.as_root(roots_own, "env", "list", "--json")
    assert path_env in json.loads(done.stdout)["envs"]

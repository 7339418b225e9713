"""Parity with conda's own answers (1/2): which environments exist, and what each holds.

For every environment `conda env list --json` lists in the conda-made root (fixture_root.conda_made), the
extension's REST answer must equal conda's; see tests/parity.py for how conda is run.
"""

from __future__ import annotations

import json
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

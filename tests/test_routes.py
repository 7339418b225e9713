"""The REST routes through a real jupyter_server (base URL `/a%40b/`), with auth."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def jp_root_dir(conda_root: dict[str, Any]) -> Path:
    """Serve the fixture's projects folder, so its project-local prefix is discovered as a user would see it."""
    return Path(conda_root["paths"]["projects"])


async def _get(jp_fetch: Any, *parts: str, **kwargs: Any) -> Any:
    response = await jp_fetch("conda-envs", *parts, **kwargs)
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return json.loads(response.body.decode("utf-8"))


async def test_environments_lists_the_fixture_root(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    data = await _get(jp_fetch, "environments")
    by_prefix = {e["prefix"]: e for e in data["environments"]}
    for env in conda_root["envs"]:
        listed = by_prefix[os.path.realpath(env["prefix"])]
        assert listed["kind"] == env["kind"], env["name"]
        assert listed["python_version"] == env["python_version"], env["name"]
        assert listed["has_ipykernel"] == env["has_ipykernel"], env["name"]
    glm = next(e for e in data["environments"] if e["name"] == "glm_finetune")
    assert set(glm) == {
        "id",
        "name",
        "prefix",
        "kind",
        "manager",
        "sources",
        "python_version",
        "package_counts",
        "has_ipykernel",
        "kernels",
        "is_server_env",
        "writable",
        "frozen",
        "frozen_message",
        "errors",
        "revision",
    }
    assert glm["package_counts"]["pip"] == 5
    project = next(e for e in data["environments"] if e["kind"] == "project")
    assert project["name"] == "demo_project/env"
    reasons = {s["reason"] for s in data["skipped"]}
    assert {"path no longer exists", "not a conda environment (no conda-meta)"} <= reasons


async def test_kernels_are_grouped_by_environment(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    data = await _get(jp_fetch, "environments")
    runnable = next(e for e in data["environments"] if e["name"] == "runnable")
    assert [k["name"] for k in runnable["kernels"]] == ["conda-env-runnable-py"]
    assert runnable["kernels"][0]["display_name"] == "Python [conda env:runnable]"
    others = [k for e in data["environments"] if e["name"] != "runnable" for k in e["kernels"]]
    assert all(k["name"] != "conda-env-runnable-py" for k in others)


async def test_packages_route(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    listing = await _get(jp_fetch, "environments")
    shadow = next(e for e in listing["environments"] if e["name"] == "pip_shadow")
    data = await _get(jp_fetch, "environments", shadow["id"], "packages")
    assert data["id"] == shadow["id"]
    assert data["prefix"] == shadow["prefix"]
    numpy = [p for p in data["packages"] if p["normalized_name"] == "numpy"]
    assert [p["source"] for p in numpy] == ["conda", "pypi"]
    assert numpy[1]["conflicts"] == [{"name": "numpy", "version": "1.24.3", "source": "conda"}]
    assert data["errors"] == []


async def test_corrupt_record_is_an_error_entry_not_a_500(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    listing = await _get(jp_fetch, "environments")
    env = next(e for e in listing["environments"] if e["name"] == "corrupt_record")
    data = await _get(jp_fetch, "environments", env["id"], "packages")
    assert len(data["errors"]) == 1
    assert data["packages"]


@pytest.mark.parametrize("env_id", ["AAAAAAAAAAAAAAAA", "not-an-id", "..%2F..%2Fetc"])
async def test_unknown_environment_is_404(jp_fetch: Any, conda_root: dict[str, Any], env_id: str) -> None:
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("conda-envs", "environments", env_id, "packages")
    assert err.value.code == 404


async def test_404_carries_a_json_message(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("conda-envs", "environments", "AAAAAAAAAAAAAAAA", "packages")
    assert err.value.response is not None
    assert "unknown environment" in json.loads(err.value.response.body)["message"]


@pytest.mark.parametrize("parts", [("environments",), ("environments", "AAAAAAAAAAAAAAAA", "packages")])
async def test_no_token_is_403(jp_fetch: Any, conda_root: dict[str, Any], parts: tuple[str, ...]) -> None:
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("conda-envs", *parts, headers={"Authorization": ""})
    assert err.value.code == 403

"""Which tool creates the environment: the administrator's choice stands; where it is `auto`, the client picks from
what the server found (each kind of conda CLI once, and the built-in py-rattler backend for creates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_create_routes import STAND_IN, YML, _post


@pytest.fixture
def jp_server_config(new_envs: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}},
        "CondaEnvs": {"conda_executable": str(STAND_IN), "create_backend": "auto"},
    }


@pytest.fixture
def new_envs(tmp_path: Path, conda_environ: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "new_envs"
    folder.mkdir()
    monkeypatch.setenv("CONDA_ENVS_PATH", str(folder))
    # Only the configured stand-in: no other conda, mamba or micromamba of the machine may join the choices.
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    return folder


async def test_auto_offers_each_tool_and_the_built_in_backend(jp_fetch: Any) -> None:
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True})
    assert code == 200, body
    # The first CLI found is the default, as `conda env create` would be on the command line.
    assert body["backend_kind"] == "conda"
    kinds = [c["kind"] for c in body["backend_choices"]]
    assert kinds == ["conda", "rattler"]
    labels = {c["kind"]: c["label"] for c in body["backend_choices"]}
    assert labels["rattler"] == "built-in (py-rattler)"
    assert labels["conda"].startswith("conda ") and "/" not in labels["conda"]  # the version, not the path


async def test_a_client_picks_among_the_choices_where_the_server_says_auto(jp_fetch: Any) -> None:
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "rattler"})
    assert code == 200, body
    assert (body["backend_kind"], body["backend"]) == ("rattler", "rattler")
    # A kind that was not found is a refusal, not a silent fallback to another tool.
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "micromamba"})
    assert code == 503, body
    assert "micromamba not found" in body["message"]


async def test_updates_are_not_offered_the_built_in_backend(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    named = next(e["name"] for e in conda_root["envs"] if e["kind"] == "named")
    request = {"content": YML, "name": named, "dry_run": True, "update": True}
    code, body = await _post(jp_fetch, request)
    assert code == 200, body
    assert [c["kind"] for c in body["backend_choices"]] == ["conda"]
    code, body = await _post(jp_fetch, {**request, "backend": "rattler"})
    assert code == 503 and "updating an environment needs conda" in body["message"]


class TestConfigured:
    @pytest.fixture
    def jp_server_config(self, new_envs: Path) -> dict[str, Any]:
        return {
            "ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}},
            "CondaEnvs": {"conda_executable": str(STAND_IN), "create_backend": "conda"},
        }

    async def test_a_configured_backend_offers_no_choice(self, jp_fetch: Any) -> None:
        code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "rattler"})
        assert code == 200, body
        assert body["backend_kind"] == "conda"
        assert body["backend_choices"] == []

"""Which tool creates the environment: the administrator's choice stands. Only where `create_backend` is `auto` and
`create_backend_choices` names kinds may the client pick, among those found (each kind of conda CLI once, and the
built-in py-rattler backend for creates); any other pick is ignored."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from .test_create_routes import STAND_IN, YML, _create_runs, _finished, _post


@pytest.fixture
def new_envs(tmp_path: Path, conda_environ: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "new_envs"
    folder.mkdir()
    monkeypatch.setenv("CONDA_ENVS_PATH", str(folder))
    monkeypatch.setenv("STAND_IN_CONDA_ARGV_LOG", str(tmp_path / "argv.log"))
    monkeypatch.setenv("STAND_IN_CONDA_MODE", "ok")
    monkeypatch.setenv("STAND_IN_CONDA_DELAY", "0.01")
    # Only the configured stand-in: no conda, mamba or micromamba of the machine may join the choices. The stand-in
    # itself needs a python3 on PATH.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(sys.executable)
    monkeypatch.setenv("PATH", str(bin_dir))
    return folder


def _config(**extra: Any) -> dict[str, Any]:
    settings = {"conda_executable": str(STAND_IN), "create_backend": "auto", **extra}
    return {"ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}}, "CondaEnvs": settings}


@pytest.fixture
def jp_server_config(new_envs: Path) -> dict[str, Any]:
    return _config(create_backend_choices=["conda", "micromamba", "rattler"])


async def test_auto_offers_each_allowed_tool_found_and_the_built_in_backend(jp_fetch: Any) -> None:
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True})
    assert code == 200, body
    # The first CLI found is the default, as `conda env create` would be on the command line.
    assert body["backend_kind"] == "conda"
    # micromamba is allowed but not found here: not offered.
    assert [c["kind"] for c in body["backend_choices"]] == ["conda", "rattler"]
    labels = {c["kind"]: c["label"] for c in body["backend_choices"]}
    assert labels["rattler"] == "built-in (py-rattler)"
    assert labels["conda"].startswith("conda ") and "/" not in labels["conda"]  # the version, not the path


async def test_a_client_picks_among_the_allowed_kinds(jp_fetch: Any) -> None:
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "rattler"})
    assert code == 200, body
    assert (body["backend_kind"], body["backend"]) == ("rattler", "rattler")
    # An allowed kind that is not there is a refusal, not a silent fallback to another tool.
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "micromamba"})
    assert code == 503, body
    assert "micromamba not found" in body["message"]
    # A kind the administrator did not allow is ignored: the server's pick runs, and the answer says which.
    code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "mamba"})
    assert code == 200 and body["backend_kind"] == "conda"


async def test_the_picked_backend_is_the_one_that_runs(
    jp_fetch: Any, conda_root: dict[str, Any], new_envs: Path, tmp_path: Path
) -> None:
    main = next(c["dir"] for c in conda_root["channels"] if c["name"] == "pkgs/main")
    yml = f"name: picked\nchannels:\n  - {Path(main).as_uri()}\ndependencies:\n  - python=3.11.5\n"
    code, body = await _post(jp_fetch, {"content": yml, "allow": ["channel"], "backend": "rattler"})
    assert code == 202, body
    assert body["job"]["backend"] == "rattler"
    data = await _finished(jp_fetch, body["job"]["id"], timeout=120)
    assert data["job"]["status"] == "succeeded", data["log"]
    assert _create_runs(tmp_path) == [], "the conda stand-in never ran"
    history = (new_envs / "picked" / "conda-meta" / "history").read_text(encoding="utf-8")
    assert "# cmd: jupyterlab-conda-envs create" in history  # what the built-in backend writes
    assert os.path.isdir(new_envs / "picked" / "conda-meta")


async def test_updates_are_not_offered_the_built_in_backend(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    named = next(e["name"] for e in conda_root["envs"] if e["kind"] == "named")
    request = {"content": YML, "name": named, "dry_run": True, "update": True}
    code, body = await _post(jp_fetch, request)
    assert code == 200, body
    assert [c["kind"] for c in body["backend_choices"]] == ["conda"]
    code, body = await _post(jp_fetch, {**request, "backend": "rattler"})
    assert code == 503 and "updating an environment needs conda" in body["message"]


class TestNoChoicesAllowed:
    """`auto` alone (the default) leaves nothing to pick: a site's conda setup is not bypassed by a click."""

    @pytest.fixture
    def jp_server_config(self, new_envs: Path) -> dict[str, Any]:
        return _config()

    async def test_nothing_is_offered_and_a_pick_is_ignored(self, jp_fetch: Any) -> None:
        code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "rattler"})
        assert code == 200, body
        assert body["backend_kind"] == "conda"
        assert body["backend_choices"] == []


class TestConfigured:
    @pytest.fixture
    def jp_server_config(self, new_envs: Path) -> dict[str, Any]:
        return _config(create_backend="conda", create_backend_choices=["conda", "rattler"])

    async def test_a_configured_backend_offers_no_choice(self, jp_fetch: Any) -> None:
        code, body = await _post(jp_fetch, {"content": YML, "dry_run": True, "backend": "rattler"})
        assert code == 200, body
        assert body["backend_kind"] == "conda"
        assert body["backend_choices"] == []


def test_the_choices_json_is_what_the_dialog_reads() -> None:
    from jupyterlab_conda_envs.create.conda_cli import Tool
    from jupyterlab_conda_envs.create.work import backend_choices

    tools = [
        Tool("mamba2", "/opt/a/mamba", "2.0.5", "PATH"),
        Tool("mamba2", "/opt/b/mamba", "2.1.0", "PATH"),
        Tool("conda", "/opt/a/conda", None, "CONDA_EXE"),
    ]
    picked = backend_choices(tools, ["mamba2", "conda", "rattler"])
    assert json.loads(json.dumps([(c.kind, c.title) for c in picked])) == [
        ["mamba2", "mamba 2.0.5"],  # the first of a kind, as choose_backend takes it; mamba 2 calls itself mamba
        ["conda", "conda"],  # no version known: the name alone
        ["rattler", "built-in (py-rattler)"],
    ]
    assert [c.kind for c in backend_choices(tools, ["conda", "rattler"], update=True)] == ["mamba2", "conda"]
    # What `auto` runs (the first tool found) is always a choice, so the list holds the default.
    assert [c.kind for c in backend_choices(tools, ["rattler"])] == ["mamba2", "rattler"]
    assert backend_choices(tools, []) == []

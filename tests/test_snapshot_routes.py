"""Export, snapshot and environment-file routes through a real jupyter_server (testing.md #20-21).

The server root is a temporary folder with a notebook, a sibling folder whose name extends the root's (`root2`),
a symbolic link out of the root and an existing file: nothing may ever be written outside the root.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.services.contents.filemanager import AsyncFileContentsManager
from tornado.httpclient import HTTPClientError

from .conftest import env_named

NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture
def jp_root_dir(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "proj").mkdir(parents=True)
    (root / "proj" / "train.ipynb").write_text(NOTEBOOK, encoding="utf-8")
    # A sibling whose path starts with the root's, reached through a link inside the root.
    sibling = tmp_path / "root2" / "stolen"
    sibling.mkdir(parents=True)
    (sibling / "train.ipynb").write_text(NOTEBOOK, encoding="utf-8")
    os.symlink(sibling, root / "link")
    # A file outside the root that a link inside it points to.
    (tmp_path / "outside.yml").write_text("precious\n", encoding="utf-8")
    return root


async def _env_id(jp_fetch: Any, name: str) -> str:
    response = await jp_fetch("conda-envs", "environments")
    listing = json.loads(response.body)
    return str(next(e["id"] for e in listing["environments"] if e["name"] == name))


async def _snapshot(jp_fetch: Any, env_id: str, body: dict[str, Any] | str) -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    return await jp_fetch("conda-envs", "environments", env_id, "snapshot", method="POST", body=text)


async def _code_of(jp_fetch: Any, env_id: str, body: dict[str, Any] | str) -> int:
    with pytest.raises(HTTPClientError) as err:
        await _snapshot(jp_fetch, env_id, body)
    return int(err.value.code)


def _files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


async def test_export_modes(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    env_id = await _env_id(jp_fetch, "pip_shadow")
    prefix = os.path.realpath(env_named(conda_root, "pip_shadow")["prefix"])
    for mode in ("full", "no-builds", "history"):
        response = await jp_fetch("conda-envs", "environments", env_id, "export", params={"mode": mode})
        assert response.headers["Content-Type"] == "application/yaml; charset=utf-8"
        text = response.body.decode("utf-8")
        data = yaml.safe_load(text)
        assert data["name"] == "pip_shadow"
        assert "prefix" not in data
        assert prefix not in text
        pip = [d for d in data["dependencies"] if isinstance(d, dict)]
        assert pip == [{"pip": ["numpy==1.26.4"]}], mode
    response = await jp_fetch("conda-envs", "environments", env_id, "export", params={"mode": "explicit"})
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "@EXPLICIT" in response.body.decode("utf-8")
    response = await jp_fetch("conda-envs", "environments", env_id, "export", params={"mode": "requirements"})
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.body.decode("utf-8")
    assert "\ndefaults::numpy==1.24.3=" in text and "\n# pip numpy==1.26.4\n" in text


async def test_export_refuses_unknown_modes_and_envs(jp_fetch: Any) -> None:
    env_id = await _env_id(jp_fetch, "pip_shadow")
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("conda-envs", "environments", env_id, "export", params={"mode": "yaml"})
    assert err.value.code == 400
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("conda-envs", "environments", "A" * 16, "export")
    assert err.value.code == 404


async def test_snapshot_beside_the_notebook(jp_fetch: Any, jp_root_dir: Path) -> None:
    env_id = await _env_id(jp_fetch, "pip_shadow")
    response = await _snapshot(jp_fetch, env_id, {"path": "proj/train.ipynb"})
    assert response.code == 201
    answer = json.loads(response.body)
    assert answer["file"] == "proj/train.environment.yml"
    assert answer["environment"] == "pip_shadow"
    assert answer["mode"] == "history"
    assert answer["python"] == "3.11.5"
    assert answer["replaced"] is False
    packages = json.loads((await jp_fetch("conda-envs", "environments", env_id, "packages")).body)
    assert answer["digest"] == packages["digest"]
    assert answer["packages"] == len(packages["packages"])

    text = (jp_root_dir / "proj" / "train.environment.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["name"] == "pip_shadow"
    assert "prefix" not in data
    assert "# conda-envs-lock v1:" in text

    # The file parses back into exactly the installed set.
    parsed = json.loads((await jp_fetch("conda-envs", "spec", params={"path": "proj/train.environment.yml"})).body)
    assert parsed["spec"]["kind"] == "lock"
    assert parsed["spec"]["complete"] is True
    listed = {(e["source"], e["normalized_name"], e["version"]) for e in parsed["spec"]["entries"]}
    installed = {(p["source"], p["normalized_name"], p["version"]) for p in packages["packages"]}
    assert listed == installed


async def test_an_existing_file_is_kept_unless_replacing_is_asked(jp_fetch: Any, jp_root_dir: Path) -> None:
    env_id = await _env_id(jp_fetch, "pip_shadow")
    target = jp_root_dir / "proj" / "mine.yml"
    target.write_text("name: hand-written\n", encoding="utf-8")
    with pytest.raises(HTTPClientError) as err:
        await _snapshot(jp_fetch, env_id, {"path": "proj/train.ipynb", "file": "mine.yml"})
    assert err.value.code == 409
    assert err.value.response is not None
    assert json.loads(err.value.response.body)["file"] == "proj/mine.yml"
    assert target.read_text(encoding="utf-8") == "name: hand-written\n"

    response = await _snapshot(jp_fetch, env_id, {"path": "proj/train.ipynb", "file": "mine.yml", "overwrite": True})
    assert json.loads(response.body)["replaced"] is True
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["name"] == "pip_shadow"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"path": "../../x.ipynb"}, 400),
        ({"path": "proj/../../x.ipynb"}, 400),
        ({"path": "proj/./train.ipynb"}, 400),
        ({"path": ""}, 400),
        ({"path": "proj\\..\\..\\x.ipynb"}, 400),
        ({"path": "proj/train.ipynb", "file": "../x.yml"}, 400),
        ({"path": "proj/train.ipynb", "file": ".hidden.yml"}, 400),
        ({"path": "proj/train.ipynb", "file": "run.sh"}, 400),
        ({"path": "proj/train.ipynb", "mode": "yaml"}, 400),
        # A requirements file is a download: drift reads snapshots back as environment.yml or @EXPLICIT files.
        ({"path": "proj/train.ipynb", "mode": "requirements"}, 400),
        ({"path": "proj/train.ipynb", "overwrite": "yes"}, 400),
        ({"path": ["proj"]}, 400),
        ('["not", "an", "object"]', 400),
        ("not json", 400),
        ({"path": "nope/train.ipynb"}, 404),
        ({"path": "link/train.ipynb"}, 403),
    ],
)
async def test_bad_snapshot_requests_write_nothing(
    jp_fetch: Any, jp_root_dir: Path, body: dict[str, Any] | str, code: int
) -> None:
    env_id = await _env_id(jp_fetch, "pip_shadow")
    before_outside = _files_under(jp_root_dir.parent)
    assert await _code_of(jp_fetch, env_id, body) == code
    assert _files_under(jp_root_dir.parent) == before_outside


async def test_a_symlinked_target_is_never_written_through(jp_fetch: Any, jp_root_dir: Path) -> None:
    env_id = await _env_id(jp_fetch, "pip_shadow")
    outside = jp_root_dir.parent / "outside.yml"
    os.symlink(outside, jp_root_dir / "proj" / "train.environment.yml")
    for overwrite in (False, True):
        assert await _code_of(jp_fetch, env_id, {"path": "proj/train.ipynb", "overwrite": overwrite}) == 403
    assert outside.read_text(encoding="utf-8") == "precious\n"


async def test_hidden_folders_are_refused(jp_fetch: Any, jp_root_dir: Path) -> None:
    """The contents API hides them (its `save` does not check: the handler in front of it does, and so do we)."""
    env_id = await _env_id(jp_fetch, "pip_shadow")
    (jp_root_dir / ".conda").mkdir()
    (jp_root_dir / ".conda" / "environments.txt").write_text("/keep\n", encoding="utf-8")
    body = {"path": ".conda/x.ipynb", "file": "environments.txt", "overwrite": True}
    assert await _code_of(jp_fetch, env_id, body) == 400
    assert await _code_of(jp_fetch, env_id, {"path": "proj/.git/x.ipynb"}) == 400
    assert (jp_root_dir / ".conda" / "environments.txt").read_text(encoding="utf-8") == "/keep\n"


async def test_a_folder_in_the_way_is_not_offered_for_replacing(jp_fetch: Any, jp_root_dir: Path) -> None:
    env_id = await _env_id(jp_fetch, "pip_shadow")
    (jp_root_dir / "proj" / "train.environment.yml").mkdir()
    for overwrite in (False, True):
        assert await _code_of(jp_fetch, env_id, {"path": "proj/train.ipynb", "overwrite": overwrite}) == 400
    assert (jp_root_dir / "proj" / "train.environment.yml").is_dir()


async def test_unknown_environment(jp_fetch: Any) -> None:
    assert await _code_of(jp_fetch, "A" * 16, {"path": "proj/train.ipynb"}) == 404


async def test_spec_route_refusals(jp_fetch: Any, jp_root_dir: Path) -> None:
    (jp_root_dir / "proj" / "big.yml").write_bytes(b"# " + b"x" * (2 * 1024 * 1024))
    (jp_root_dir / "proj" / "latin1.yml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    (jp_root_dir / "proj" / "list.yml").write_text("- a\n- b\n", encoding="utf-8")
    cases = {
        "proj/big.yml": 413,
        "proj/latin1.yml": 400,
        "proj/list.yml": 400,
        "proj": 400,
        "proj/missing.yml": 404,
        "../outside.yml": 400,
        "link/../../outside.yml": 400,
    }
    for path, code in cases.items():
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("conda-envs", "spec", params={"path": path})
        assert err.value.code == code, path


async def test_spec_route_reads_a_hand_written_yml(jp_fetch: Any, jp_root_dir: Path) -> None:
    (jp_root_dir / "proj" / "environment.yml").write_text(
        "name: demo\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - numpy>=1.20\n"
        "  - pip:\n    - requests==2.31.0\n",
        encoding="utf-8",
    )
    data = json.loads(
        (await jp_fetch("conda-envs", "spec", params={"path": quote("proj/environment.yml", safe="/")})).body
    )
    spec = data["spec"]
    assert spec["name"] == "demo"
    assert spec["complete"] is False
    assert [(e["source"], e["name"]) for e in spec["entries"]] == [
        ("conda", "numpy"),
        ("conda", "python"),
        ("pypi", "requests"),
    ]


class DenyContentsWrite(Authorizer):
    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return not (resource == "contents" and action != "read")


class DenyContentsRead(Authorizer):
    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != "contents"


class TestContentsPermissions:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any, request: pytest.FixtureRequest) -> dict[str, Any]:
        return {
            "ServerApp": {
                "jpserver_extensions": {"jupyterlab_conda_envs": True},
                "authorizer_class": request.param,
            },
        }

    @pytest.mark.parametrize("jp_server_config", [DenyContentsWrite], indirect=True)
    async def test_snapshot_needs_contents_write(self, jp_fetch: Any, jp_root_dir: Path) -> None:
        env_id = await _env_id(jp_fetch, "pip_shadow")
        assert await _code_of(jp_fetch, env_id, {"path": "proj/train.ipynb"}) == 403
        assert not (jp_root_dir / "proj" / "train.environment.yml").exists()
        # Exporting writes nothing: allowed.
        response = await jp_fetch("conda-envs", "environments", env_id, "export")
        assert response.code == 200

    @pytest.mark.parametrize("jp_server_config", [DenyContentsRead], indirect=True)
    async def test_spec_needs_contents_read(self, jp_fetch: Any, jp_root_dir: Path) -> None:
        (jp_root_dir / "proj" / "environment.yml").write_text("name: x\n", encoding="utf-8")
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("conda-envs", "spec", params={"path": "proj/environment.yml"})
        assert err.value.code == 403


class SlowSaves(AsyncFileContentsManager):
    """Saves that take a while, as on a network file system: the window in which a second request could check."""

    async def save(self, model: dict[str, Any], path: str = "") -> dict[str, Any]:
        await asyncio.sleep(0.3)
        saved: dict[str, Any] = await super().save(model, path)
        return saved


class TestConcurrentSnapshots:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any) -> dict[str, Any]:
        return {
            "ServerApp": {
                "jpserver_extensions": {"jupyterlab_conda_envs": True},
                "contents_manager_class": SlowSaves,
            },
        }

    async def test_two_snapshots_at_once_never_both_write(self, jp_fetch: Any, jp_root_dir: Path) -> None:
        ids = [await _env_id(jp_fetch, "pip_shadow"), await _env_id(jp_fetch, "cpu_only")]

        async def code(env: str) -> int:
            try:
                return int((await _snapshot(jp_fetch, env, {"path": "proj/train.ipynb"})).code)
            except HTTPClientError as err:
                return int(err.code)

        codes = await asyncio.gather(*(code(env) for env in ids))
        assert sorted(codes) == [201, 409]
        written = yaml.safe_load((jp_root_dir / "proj" / "train.environment.yml").read_text(encoding="utf-8"))
        assert written["name"] == ("pip_shadow" if codes[0] == 201 else "cpu_only")

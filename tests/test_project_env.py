"""The project environment of a notebook: walking up to the server root, through the route and on its own."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from jupyterlab_conda_envs.environments.discovery import DiscoveryOptions
from jupyterlab_conda_envs.environments.service import EnvironmentService, _preferred_kernel
from jupyterlab_conda_envs.kernels.project_env import (
    BadNotebookPath,
    MissingFolder,
    notebook_folder,
    resolve_project,
    yml_name,
)
from jupyterlab_conda_envs.kernels.spec_environments import KernelRef

from .conftest import env_named


@pytest.fixture
def jp_root_dir(conda_root: dict[str, Any]) -> Path:
    return Path(conda_root["paths"]["projects"])


async def _project(jp_fetch: Any, path: str) -> dict[str, Any]:
    response = await jp_fetch("conda-envs", "project", params={"path": path})
    data: dict[str, Any] = json.loads(response.body)
    return data


async def test_a_yml_naming_an_env_from_a_nested_folder(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    data = await _project(jp_fetch, "runnable_project/notebooks/train.ipynb")
    project = data["project"]
    assert project["name"] == "runnable"
    assert project["prefix"] == os.path.realpath(env_named(conda_root, "runnable")["prefix"])
    assert project["source"] == "environment.yml"
    assert project["file"] == "runnable_project/environment.yml"
    assert project["folder"] == "runnable_project"
    assert project["kernel"] == "conda-env-runnable-py"
    listing = json.loads((await jp_fetch("conda-envs", "environments")).body)
    assert project["environment_id"] == next(e["id"] for e in listing["environments"] if e["name"] == "runnable")


async def test_a_local_prefix_beats_the_yml_beside_it(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    # demo_project has an environment.yml naming glm_finetune *and* ./env: the concrete prefix is the project's.
    data = await _project(jp_fetch, "demo_project/finetune.ipynb")
    project = data["project"]
    assert project["source"] == "prefix"
    assert project["file"] == "demo_project/env"
    assert project["prefix"] == os.path.realpath(env_named(conda_root, "project_env")["prefix"])
    assert project["kernel"] == "conda-env-demo_project-env-py"


async def test_a_pixi_project(jp_fetch: Any, conda_root: dict[str, Any]) -> None:
    project = (await _project(jp_fetch, "pixi_project/analysis.ipynb"))["project"]
    assert project["source"] == "prefix"
    assert project["file"] == "pixi_project/.pixi/envs/default"
    assert project["prefix"] == os.path.realpath(conda_root["paths"]["pixi_project_dir"] + "/.pixi/envs/default")


async def test_a_yml_naming_a_missing_env_is_reported_not_matched(jp_fetch: Any) -> None:
    data = await _project(jp_fetch, "ghost_project/analysis.ipynb")
    assert data["project"] is None
    assert data["unresolved"] == [
        {"file": "ghost_project/environment.yaml", "name": "ghost_env", "reason": "no environment named 'ghost_env'"}
    ]


async def test_no_project(jp_fetch: Any) -> None:
    data = await _project(jp_fetch, "untitled.ipynb")
    assert data == {"path": "untitled.ipynb", "project": None, "unresolved": []}


@pytest.mark.parametrize(
    ("path", "code"),
    [("", 400), ("../escape.ipynb", 400), ("a/../../x.ipynb", 400), ("x\\y.ipynb", 400), ("nowhere/x.ipynb", 404)],
)
async def test_bad_paths(jp_fetch: Any, path: str, code: int) -> None:
    with pytest.raises(HTTPClientError) as err:
        await _project(jp_fetch, path)
    assert err.value.code == code
    assert err.value.response is not None
    assert "message" in json.loads(err.value.response.body)


# -- the walk on its own ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "/", "..", "../x.ipynb", "a/../../x.ipynb", "a\x00b.ipynb", "a\\..\\x.ipynb"])
def test_paths_outside_the_root_are_refused(tmp_path: Path, path: str) -> None:
    (tmp_path / "a").mkdir()
    with pytest.raises(BadNotebookPath):
        notebook_folder(str(tmp_path), path)


def test_a_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "root2").mkdir()  # a sibling whose name starts like the root's
    (root / "link").symlink_to(tmp_path / "root2")
    with pytest.raises(BadNotebookPath):
        notebook_folder(str(root), "link/x.ipynb")
    with pytest.raises(MissingFolder):
        notebook_folder(str(root), "missing/x.ipynb")
    assert notebook_folder(str(root), "/x.ipynb") == (str(root.resolve()), "")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (b"name: llm_train\nchannels: [conda-forge]\n", "llm_train"),
        (b"channels:\n  - pytorch\nname: 'legacy_bert'  # for the old model\n", "legacy_bert"),
        (b'name: "donn\xc3\xa9es_\xc3\xbc"\n', "données_ü"),
        (b"dependencies:\n  - name: not-top-level\n", None),
        (b"channels: []\n", None),
        (b"name: a/b\n", None),
        (b"name: &x foo\n", None),
        (b"name: \xff\xfe\n", None),
    ],
)
def test_yml_name(tmp_path: Path, text: bytes, name: str | None) -> None:
    path = tmp_path / "environment.yml"
    path.write_bytes(text)
    assert yml_name(str(path)) == name


def test_yml_name_refuses_huge_files_and_fifos(tmp_path: Path) -> None:
    huge = tmp_path / "environment.yml"
    huge.write_bytes(b"name: big\n" + b"#" * (2 * 1024 * 1024))
    assert yml_name(str(huge)) is None
    fifo = tmp_path / "environment.yaml"
    os.mkfifo(fifo)
    assert yml_name(str(fifo)) is None


def test_a_project_prefix_deeper_than_the_scan_is_listed_once_found(tmp_path: Path, conda_root: dict[str, Any]) -> None:
    root = tmp_path / "work"
    deep = root / "a" / "b" / "c" / "d" / "experiment"
    deep.mkdir(parents=True)
    # `conda create --clone` copies a prefix; the copy is a real prefix.
    shutil.copytree(env_named(conda_root, "cpu_only")["prefix"], deep / ".conda", symlinks=True)
    (deep / "notebooks").mkdir()
    options = DiscoveryOptions(
        environ={}, home=str(tmp_path / "home"), server_prefix=sys.prefix, server_root=str(root), project_scan_depth=3
    )
    service = EnvironmentService(lambda: options)
    before = service.list_environments({})
    assert str(deep / ".conda") not in {e["prefix"] for e in before["environments"]}
    answer = json.loads(service.project_json(str(root), "a/b/c/d/experiment/notebooks/run.ipynb", dict))
    assert answer["project"]["file"] == "a/b/c/d/experiment/.conda"
    after = service.list_environments({})
    listed = {e["prefix"]: e for e in after["environments"]}
    assert listed[str(deep / ".conda")]["kind"] == "project"
    assert listed[str(deep / ".conda")]["id"] == answer["project"]["environment_id"]


class TestRootHoldingAnInstallation:
    """A server root of $HOME holds ~/miniconda3: its base is nobody's project environment."""

    @pytest.fixture
    def jp_root_dir(self, conda_root: dict[str, Any]) -> Path:
        return Path(conda_root["fixture_dir"])

    async def test_the_installation_is_not_a_project(self, jp_fetch: Any) -> None:
        data = await _project(jp_fetch, "projects/ghost_project/analysis.ipynb")
        assert data["project"] is None
        # While a project's own prefix under that same root is still found.
        found = await _project(jp_fetch, "projects/demo_project/finetune.ipynb")
        assert found["project"]["file"] == "projects/demo_project/env"


class TestDeepProjectThroughTheRoute:
    @pytest.fixture
    def jp_root_dir(self, tmp_path: Path, conda_root: dict[str, Any]) -> Path:
        root = tmp_path / "work"
        deep = root / "a" / "b" / "c" / "d" / "experiment"
        deep.mkdir(parents=True)
        shutil.copytree(env_named(conda_root, "cpu_only")["prefix"], deep / ".conda", symlinks=True)
        return root

    async def test_the_first_answer_already_names_its_kernel(self, jp_fetch: Any) -> None:
        data = await _project(jp_fetch, "a/b/c/d/experiment/run.ipynb")
        assert data["project"]["file"] == "a/b/c/d/experiment/.conda"
        assert data["project"]["kernel"] == "conda-env-experiment-.conda-py"


def test_symlinks_out_of_the_root_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "proj").mkdir(parents=True)
    outside = tmp_path / "outside"
    (outside / "env" / "conda-meta").mkdir(parents=True)
    (outside / "env" / "conda-meta" / "history").write_text("")
    (outside / "environment.yml").write_text("name: secret_env\n")
    (root / "proj" / "environment.yml").symlink_to(outside / "environment.yml")
    (root / "proj" / "linked_env").symlink_to(outside / "env")
    result = resolve_project(str(root), "proj/nb.ipynb", lambda name: "/some/prefix")
    assert result.match is None
    assert result.unresolved == []


def test_the_preferred_kernel_is_the_environments_own_python() -> None:
    kernels = [
        KernelRef("aaa", "Planted", "python"),
        KernelRef("conda-env-proj-env-r", "R [conda env:proj-env]", "R"),
        KernelRef("conda-env-proj-env-py", "Python [conda env:proj-env]", "python"),
    ]
    assert _preferred_kernel(kernels) == "conda-env-proj-env-py"
    assert _preferred_kernel([KernelRef("mine", "Mine", "python"), KernelRef("r", "R", "R")]) == "mine"
    assert _preferred_kernel([]) is None

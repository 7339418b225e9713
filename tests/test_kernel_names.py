"""Kernel names: nb_conda_kernels parity, collisions, non-ASCII, generic folder names."""

from __future__ import annotations

import pytest

from jupyterlab_conda_envs.kernels.names import clean_kernel_name, kernel_key, kernel_name, name_environments

ROOT = "/opt/miniconda3"


def _names(*prefixes: str, root: str | None = ROOT) -> dict[str, str]:
    return {n.prefix: n.env_name for n in name_environments(prefixes, root)}


@pytest.mark.parametrize(
    ("prefix", "env_name", "kernel"),
    [
        # nb_conda_kernels: the root conda runs from is "base" and drops the "env-" part.
        (ROOT, "base", "conda-base-py"),
        (f"{ROOT}/envs/llm_train", "llm_train", "conda-env-llm_train-py"),
        # An envs folder of another root or of ~/.conda: qualified by the folder holding it.
        ("/home/u/.conda/envs/legacy_bert", ".conda-legacy_bert", "conda-env-.conda-legacy_bert-py"),
        ("/home/u/miniforge3/envs/jax", "miniforge3-jax", "conda-env-miniforge3-jax-py"),
        # Any other folder: its own name (a team's shared envs_dirs entry not called "envs").
        ("/shared/team_envs/tools", "tools", "conda-env-tools-py"),
        # Accents stripped, other characters replaced, in the kernel name only.
        (f"{ROOT}/envs/données_ü", "données_ü", "conda-env-donnees_u-py"),
        ("/srv/my envs/outside env", "outside env", "conda-env-outside_env-py"),
        # Generic folder names say nothing alone: the project folder is added.
        ("/work/demo_project/env", "demo_project-env", "conda-env-demo_project-env-py"),
        ("/work/demo_project/.conda", "demo_project-.conda", "conda-env-demo_project-.conda-py"),
        ("/work/pixi_project/.pixi/envs/default", "pixi_project", "conda-env-pixi_project-py"),
        ("/work/pixi_project/.pixi/envs/cuda", "pixi_project-cuda", "conda-env-pixi_project-cuda-py"),
    ],
)
def test_parity_names(prefix: str, env_name: str, kernel: str) -> None:
    (named,) = name_environments([prefix], ROOT)
    assert named.env_name == env_name
    assert kernel_name(named.env_name, "py", prefix == ROOT) == kernel


def test_same_name_in_the_root_envs_and_elsewhere() -> None:
    # nb_conda_kernels: the root's own envs folder keeps the plain name, the other one is qualified.
    names = _names(ROOT, f"{ROOT}/envs/x", "/home/u/.conda/envs/x")
    assert names[f"{ROOT}/envs/x"] == "x"
    assert names["/home/u/.conda/envs/x"] == ".conda-x"


def test_a_name_never_moves_to_another_environment() -> None:
    # One `proj` alone keeps its plain name.
    assert _names("/b/proj")["/b/proj"] == "proj"
    # Another `proj` appears, sorting first: the plain name goes away rather than pointing at the newcomer, and
    # each gets a suffix derived from its own prefix.
    both = _names("/a/proj", "/b/proj")
    assert "proj" not in both.values()
    assert both["/a/proj"].startswith("proj-") and len(both["/a/proj"]) == len("proj-") + 6
    assert both["/a/proj"] != both["/b/proj"]
    # Suffixes depend only on the prefix: more environments, in any order, change nothing.
    more = _names("/d/other", "/c/proj", "/b/proj", "/a/proj")
    assert more["/a/proj"] == both["/a/proj"] and more["/b/proj"] == both["/b/proj"]


def test_the_root_envs_folder_keeps_a_contested_name() -> None:
    names = _names("/work/x", f"{ROOT}/envs/x")
    assert names[f"{ROOT}/envs/x"] == "x"
    assert names["/work/x"].startswith("x-")


def test_names_that_collide_only_after_cleaning_are_made_unique() -> None:
    names = _names("/x/données", "/y/donnees")
    kernels = {clean_kernel_name(kernel_name(n, "py", False)) for n in names.values()}
    assert len(kernels) == 2
    # In the root's envs folder, the one whose name is already clean keeps it.
    root_names = _names(f"{ROOT}/envs/données", f"{ROOT}/envs/donnees")
    assert root_names[f"{ROOT}/envs/donnees"] == "donnees"
    assert root_names[f"{ROOT}/envs/données"].startswith("données-")


def test_an_env_called_base_that_is_not_the_root_is_not_the_base_kernel() -> None:
    names = _names(ROOT, "/other/base")
    assert names[ROOT] == "base"
    assert names["/other/base"] != "base"
    assert kernel_name(names["/other/base"], "py", False).startswith("conda-env-base-")


def test_without_a_primary_root_nothing_is_base() -> None:
    assert _names("/opt/miniconda3", root=None)["/opt/miniconda3"] == "miniconda3"


@pytest.mark.parametrize(
    ("folder", "key"),
    [("python3", "py"), ("Python3", "py"), ("python2", "py"), ("ir", "r"), ("julia-1.10", "julia-1.10")],
)
def test_kernel_keys(folder: str, key: str) -> None:
    assert kernel_key(folder) == key


def test_clean_kernel_name_is_a_valid_jupyter_kernel_name() -> None:
    from jupyter_client.kernelspec import _is_valid_kernel_name

    for raw in ("conda-env-données_ü-py", "conda-env-a b:c/d-py", "conda-env-日本-py"):
        assert _is_valid_kernel_name(clean_kernel_name(raw)), raw

"""Discovery from every source, their precedence, dedupe by realpath, and what gets skipped (no conda process)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_conda_envs.core.ids import env_id
from jupyterlab_conda_envs.environments.discovery import DiscoveredEnv, Discoverer, DiscoveryOptions, DiscoveryResult

from .conftest import env_named


def _discover(home: Path, server_prefix: str = "/nonexistent-server-prefix", **kwargs: Any) -> DiscoveryResult:
    environ: dict[str, str] = kwargs.pop("environ", {})
    # No /etc/conda or /var/lib/conda: what the host machine has installed must not leak into these tests.
    kwargs.setdefault("system_condarc_dirs", ())
    return Discoverer().discover(
        DiscoveryOptions(environ=environ, home=str(home), server_prefix=server_prefix, **kwargs)
    )


def _by_prefix(result: DiscoveryResult) -> dict[str, DiscoveredEnv]:
    return {e.prefix: e for e in result.environments}


def _real(path: str) -> str:
    return os.path.realpath(path)


@pytest.fixture
def paths(conda_root: dict[str, Any]) -> dict[str, str]:
    p: dict[str, str] = conda_root["paths"]
    return p


def test_nothing_configured_finds_nothing(tmp_conda_home: Path) -> None:
    result = _discover(tmp_conda_home)
    assert result.environments == []
    assert result.skipped == []


def test_conda_exe_gives_base_and_named_envs(
    conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path
) -> None:
    result = _discover(tmp_conda_home, environ={"CONDA_EXE": os.path.join(paths["root"], "bin", "conda")})
    envs = _by_prefix(result)
    base = envs[_real(paths["root"])]
    assert (base.kind, base.name, base.sources) == ("base", "base", ["CONDA_EXE"])
    glm = envs[_real(env_named(conda_root, "glm_finetune")["prefix"])]
    assert (glm.kind, glm.name, glm.manager) == ("named", "glm_finetune", "conda")
    # Only what lives under the root: the environments.txt-only env is not reachable this way.
    assert _real(env_named(conda_root, "outside_env")["prefix"]) not in envs


def test_environments_txt_lists_outside_env_and_skips_bad_lines(
    conda_root: dict[str, Any], paths: dict[str, str]
) -> None:
    result = _discover(Path(paths["home"]))
    envs = _by_prefix(result)
    outside = envs[_real(env_named(conda_root, "outside_env")["prefix"])]
    assert outside.kind == "path"
    assert outside.name == outside.prefix
    assert outside.sources[0] == "environments.txt"
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons[paths["deleted_path"]] == "path no longer exists"
    assert reasons[paths["non_env_path"]] == "not a conda environment (no conda-meta)"


def test_symlinked_and_repeated_entries_are_one_environment(conda_root: dict[str, Any], paths: dict[str, str]) -> None:
    result = _discover(Path(paths["home"]), environ={"CONDA_EXE": os.path.join(paths["root"], "bin", "conda")})
    prefixes = [e.prefix for e in result.environments]
    assert len(prefixes) == len(set(prefixes))
    target = _real(paths["symlink_path"])
    assert target in prefixes
    assert paths["symlink_path"] not in prefixes  # identity is the realpath, never the link


def test_named_beats_path_when_an_env_is_found_twice(conda_root: dict[str, Any], paths: dict[str, str]) -> None:
    """environments.txt lists envs that also live in the root's envs dir: conda names them, so do we."""
    result = _discover(Path(paths["home"]), environ={"CONDA_EXE": os.path.join(paths["root"], "bin", "conda")})
    glm = _by_prefix(result)[_real(env_named(conda_root, "glm_finetune")["prefix"])]
    assert glm.kind == "named"
    assert glm.name == "glm_finetune"
    assert set(glm.sources) >= {"CONDA_EXE", "environments.txt"}


def test_condarc_envs_dirs(conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path) -> None:
    shutil.copy2(paths["condarc"], tmp_conda_home / ".condarc")
    result = _discover(tmp_conda_home)
    shared = _by_prefix(result)[_real(env_named(conda_root, "shared_tools")["prefix"])]
    assert shared.kind == "named"
    assert shared.sources == [f"envs_dirs ({tmp_conda_home / '.condarc'})"]


def test_condarc_from_condarc_variable_with_env_var_expansion(
    conda_root: dict[str, Any], paths: dict[str, str], tmp_path: Path, tmp_conda_home: Path
) -> None:
    team = Path(env_named(conda_root, "shared_tools")["prefix"]).parent
    rc = tmp_path / "rc.yml"
    rc.write_text("envs_dirs:\n  - ${TEAM_ENVS}\n", encoding="utf-8")
    result = _discover(tmp_conda_home, environ={"CONDARC": str(rc), "TEAM_ENVS": str(team)})
    assert _real(env_named(conda_root, "shared_tools")["prefix"]) in _by_prefix(result)


def test_broken_condarc_is_reported_not_fatal(
    conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path
) -> None:
    (tmp_conda_home / ".condarc").write_text("envs_dirs: [unclosed\n", encoding="utf-8")
    result = _discover(tmp_conda_home, environ={"CONDA_EXE": os.path.join(paths["root"], "bin", "conda")})
    assert any(s.source == "condarc" and ".condarc" in s.path for s in result.skipped)
    assert _real(paths["root"]) in _by_prefix(result)


def test_conda_envs_path(conda_root: dict[str, Any], tmp_conda_home: Path) -> None:
    team = str(Path(env_named(conda_root, "shared_tools")["prefix"]).parent)
    result = _discover(tmp_conda_home, environ={"CONDA_ENVS_PATH": os.pathsep.join(["/nonexistent", team])})
    shared = _by_prefix(result)[_real(env_named(conda_root, "shared_tools")["prefix"])]
    assert shared.sources == ["CONDA_ENVS_PATH"]
    assert shared.kind == "named"


def test_mamba_root_prefix_is_a_micromamba_root(
    conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path
) -> None:
    result = _discover(tmp_conda_home, environ={"MAMBA_ROOT_PREFIX": paths["root"]})
    envs = _by_prefix(result)
    assert envs[_real(paths["root"])].kind == "base"
    glm = envs[_real(env_named(conda_root, "glm_finetune")["prefix"])]
    assert glm.manager == "micromamba"
    assert glm.sources == ["MAMBA_ROOT_PREFIX"]


def test_extra_env_dirs_and_exclude(conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path) -> None:
    envs_dir = os.path.join(paths["root"], "envs")
    result = _discover(tmp_conda_home, extra_env_dirs=[envs_dir], exclude=["legacy_*", "*/cpu_only"])
    names = {e.name for e in result.environments}
    assert "glm_finetune" in names
    assert "legacy_bert" not in names
    assert "cpu_only" not in names
    excluded = [s for s in result.skipped if s.reason.startswith("excluded by pattern")]
    assert len(excluded) == 2


def test_server_prefix_is_marked(conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path) -> None:
    runnable = env_named(conda_root, "runnable")["prefix"]
    result = _discover(tmp_conda_home, server_prefix=runnable)
    envs = _by_prefix(result)
    assert [e.prefix for e in result.environments if e.is_server_env] == [_real(runnable)]
    assert "server" in envs[_real(runnable)].sources
    assert result.server_prefix == _real(runnable)
    # A server running in `<root>/envs/<name>` knows its installation: the root and its siblings are listed.
    assert envs[_real(paths["root"])].kind == "base"
    assert envs[_real(env_named(conda_root, "glm_finetune")["prefix"])].sources == ["server"]


def test_project_local_prefixes_under_the_server_root(
    conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path
) -> None:
    project = env_named(conda_root, "project_env")
    result = _discover(tmp_conda_home, server_root=paths["projects"])
    env = _by_prefix(result)[_real(project["prefix"])]
    assert env.kind == "project"
    assert env.name == os.path.relpath(project["prefix"], paths["projects"])
    # Too shallow a scan does not reach it.
    shallow = _discover(tmp_conda_home, server_root=paths["projects"], project_scan_depth=0)
    assert _real(project["prefix"]) not in _by_prefix(shallow)


def test_ids_are_derived_from_realpaths(conda_root: dict[str, Any], paths: dict[str, str]) -> None:
    result = _discover(Path(paths["home"]), environ={"CONDA_EXE": os.path.join(paths["root"], "bin", "conda")})
    for env in result.environments:
        assert env.id == env_id(env.prefix)
    assert len({e.id for e in result.environments}) == len(result.environments)


def test_non_ascii_and_space_prefixes_are_listed(conda_root: dict[str, Any], paths: dict[str, str]) -> None:
    result = _discover(Path(paths["home"]), environ={"CONDA_EXE": os.path.join(paths["root"], "bin", "conda")})
    names = {e.name for e in result.environments}
    non_ascii = [e["name"] for e in conda_root["envs"] if not e["name"].isascii()]
    assert non_ascii and set(non_ascii) <= names


def test_a_deleted_env_disappears_without_restart(
    conda_root: dict[str, Any], tmp_path: Path, tmp_conda_home: Path
) -> None:
    envs_dir = tmp_path / "envs"
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], envs_dir / "copy", symlinks=True)
    discoverer = Discoverer()
    options = DiscoveryOptions(
        environ={}, home=str(tmp_conda_home), server_prefix="/x", extra_env_dirs=[str(envs_dir)], system_condarc_dirs=()
    )
    assert [e.name for e in discoverer.discover(options).environments] == ["copy"]
    shutil.rmtree(envs_dir / "copy")
    assert discoverer.discover(options).environments == []


def test_mamba_exe_and_conda_envs_dirs(conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path) -> None:
    result = _discover(tmp_conda_home, environ={"MAMBA_EXE": os.path.join(paths["root"], "bin", "mamba")})
    glm = _by_prefix(result)[_real(env_named(conda_root, "glm_finetune")["prefix"])]
    assert (glm.sources, glm.manager) == (["MAMBA_EXE"], "mamba")
    team = str(Path(env_named(conda_root, "shared_tools")["prefix"]).parent)
    result = _discover(tmp_conda_home, environ={"CONDA_ENVS_DIRS": team})
    assert _by_prefix(result)[_real(env_named(conda_root, "shared_tools")["prefix"])].sources == ["CONDA_ENVS_DIRS"]


def test_a_default_install_location_in_home(
    conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path
) -> None:
    """A server started without CONDA_EXE (systemd, a hub) still finds ~/miniconda3."""
    (tmp_conda_home / "miniconda3").symlink_to(paths["root"])
    result = _discover(tmp_conda_home)
    envs = _by_prefix(result)
    assert envs[_real(paths["root"])].sources == ["default location"]
    assert envs[_real(env_named(conda_root, "glm_finetune")["prefix"])].kind == "named"


def test_pixi_environments_in_a_project(conda_root: dict[str, Any], tmp_path: Path, tmp_conda_home: Path) -> None:
    pixi_env = tmp_path / "work" / "proj" / ".pixi" / "envs" / "default"
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], pixi_env, symlinks=True)
    result = _discover(tmp_conda_home, server_root=str(tmp_path / "work"))
    (env,) = result.environments
    assert (env.kind, env.manager, env.name) == ("project", "pixi", "proj/.pixi/envs/default")


def test_manager_from_history_for_path_envs(conda_root: dict[str, Any], paths: dict[str, str]) -> None:
    result = _discover(Path(paths["home"]))
    outside = _by_prefix(result)[_real(env_named(conda_root, "outside_env")["prefix"])]
    assert outside.manager == "conda"  # from the `# cmd: .../bin/conda create` line the fixture wrote


def test_project_scan_stops_at_its_limit_and_says_so(
    conda_root: dict[str, Any], paths: dict[str, str], tmp_conda_home: Path
) -> None:
    result = _discover(tmp_conda_home, server_root=paths["projects"], project_scan_limit=1)
    assert [s.source for s in result.skipped] == ["project scan"]
    assert "stops after 1 entries" in result.skipped[0].reason


def test_condarc_variables_follow_the_current_environment(
    conda_root: dict[str, Any], tmp_path: Path, tmp_conda_home: Path
) -> None:
    team = Path(env_named(conda_root, "shared_tools")["prefix"]).parent
    rc = tmp_path / "rc.yml"
    rc.write_text("envs_dirs: [$TEAM_ENVS]\n", encoding="utf-8")
    discoverer = Discoverer()

    def names(team_envs: str) -> set[str]:
        environ = {"CONDARC": str(rc), "TEAM_ENVS": team_envs}
        options = DiscoveryOptions(
            environ=environ, home=str(tmp_conda_home), server_prefix="/x", system_condarc_dirs=()
        )
        return {e.name for e in discoverer.discover(options).environments}

    assert names("/nonexistent") == set()
    assert names(str(team)) == {"shared_tools"}  # same file, same mtime: the expansion is not cached


def test_project_scan_is_reused_until_a_folder_changes(
    conda_root: dict[str, Any], tmp_path: Path, tmp_conda_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyterlab_conda_envs.environments import project_prefixes as projects

    work = tmp_path / "work"
    (work / "a" / "b").mkdir(parents=True)
    discoverer = Discoverer()
    options = DiscoveryOptions(
        environ={}, home=str(tmp_conda_home), server_prefix="/x", server_root=str(work), system_condarc_dirs=()
    )
    listed: list[str] = []
    real_scandir = os.scandir

    def counting_scandir(path: Any) -> Any:
        if str(path).startswith(str(work)):  # os.scandir is shared: count only the project walk
            listed.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(projects.os, "scandir", counting_scandir)
    assert discoverer.discover(options).environments == []
    walked = len(listed)
    assert walked == 3  # work, a, b
    assert discoverer.discover(options).environments == []
    assert len(listed) == walked  # nothing changed: the last walk is reused

    # `conda create -p work/a/b/env`: a new entry in b, whose mtime moves.
    shutil.copytree(env_named(conda_root, "no_kernel")["prefix"], work / "a" / "b" / "env", symlinks=True)
    (env,) = discoverer.discover(options).environments
    assert (env.kind, env.name) == ("project", "a/b/env")
    assert len(listed) > walked


def test_new_environments_go_where_conda_puts_them(tmp_path: Path) -> None:
    """CONDA_ENVS_PATH first, then condarc envs_dirs with the higher-precedence file's first (conda merges lists
    that way), then the primary root's envs, then ~/.conda/envs."""
    home, system = tmp_path / "home", tmp_path / "etc"
    home.mkdir()
    system.mkdir()
    (system / ".condarc").write_text(f"envs_dirs:\n  - {tmp_path / 'system_envs'}\n")
    (home / ".condarc").write_text(f"envs_dirs:\n  - {tmp_path / 'user_envs'}\n")
    options = DiscoveryOptions(
        environ={"CONDA_ENVS_PATH": str(tmp_path / "env_var_envs")},
        home=str(home),
        server_prefix="/x",
        system_condarc_dirs=(str(system),),
    )
    result = Discoverer().discover(options)
    assert result.create_dirs == [
        str(tmp_path / "env_var_envs"),
        str(tmp_path / "user_envs"),
        str(tmp_path / "system_envs"),
        str(home / ".conda" / "envs"),
    ]

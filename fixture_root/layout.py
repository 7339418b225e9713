"""Where everything goes in a fixture dir, and the user-level files conda leaves around a Miniconda install.

DIR/miniconda3/                 base prefix (the conda root), named envs in envs/
DIR/team_envs/                  an extra envs dir named by .condarc `envs_dirs`
DIR/elsewhere/                  an env known only from environments.txt, and a folder that is no env
DIR/projects/demo_project/      environment.yml, a notebook and a project-local prefix env/
DIR/projects/runnable_project/  environment.yml naming `runnable`, notebooks/train.ipynb on another kernel
DIR/projects/ghost_project/     environment.yaml naming an env that does not exist, and a notebook
DIR/projects/pixi_project/      pixi.toml, a notebook and pixi's prefix .pixi/envs/default
DIR/home/.conda/environments.txt, DIR/home/.condarc
DIR/jupyter/share/jupyter/      kernelspecs registered with `ipykernel install --prefix DIR/jupyter`
DIR/channels/<channel>/         the local channels; DIR/pkgs the package cache; DIR/wheels pip's wheels
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .model import EnvSpec, Kind

_KIND: dict[str, Kind] = {"base": "base", "envs": "named", "team": "named", "outside": "path", "project": "project"}


@dataclass(frozen=True)
class Layout:
    fixture_dir: Path

    @property
    def root(self) -> Path:
        return self.fixture_dir / "miniconda3"

    @property
    def home(self) -> Path:
        return self.fixture_dir / "home"

    @property
    def condarc(self) -> Path:
        return self.home / ".condarc"

    @property
    def environments_txt(self) -> Path:
        return self.home / ".conda" / "environments.txt"

    @property
    def team_envs(self) -> Path:
        return self.fixture_dir / "team_envs"

    @property
    def projects(self) -> Path:
        return self.fixture_dir / "projects"

    @property
    def project_dir(self) -> Path:
        return self.projects / "demo_project"

    @property
    def runnable_project_dir(self) -> Path:
        return self.projects / "runnable_project"

    @property
    def ghost_project_dir(self) -> Path:
        return self.projects / "ghost_project"

    @property
    def jupyter_prefix(self) -> Path:
        return self.fixture_dir / "jupyter"

    @property
    def jupyter_path(self) -> Path:
        return self.jupyter_prefix / "share" / "jupyter"

    @property
    def deleted_path(self) -> Path:
        return self.root / "envs" / "removed_env"

    @property
    def non_env_path(self) -> Path:
        return self.fixture_dir / "elsewhere" / "not_an_env"

    @property
    def symlink_path(self) -> Path:
        return self.fixture_dir / "links" / "glm_link"

    @property
    def channels(self) -> Path:
        return self.fixture_dir / "channels"

    @property
    def pkgs(self) -> Path:
        return self.fixture_dir / "pkgs"

    @property
    def wheels(self) -> Path:
        return self.fixture_dir / "wheels"

    @property
    def src(self) -> Path:
        return self.fixture_dir / "src"

    @property
    def stage(self) -> Path:
        return self.fixture_dir / ".stage"

    @property
    def cache(self) -> Path:
        return self.fixture_dir / ".cache"

    def prefix(self, env: EnvSpec) -> Path:
        if env.location == "base":
            return self.root
        if env.location == "envs":
            return self.root / "envs" / env.name
        if env.location == "team":
            return self.team_envs / env.name
        if env.rel_path is None:
            raise ValueError(f"{env.name}: an {env.location} env needs rel_path")
        return self.fixture_dir / env.rel_path


def kind(env: EnvSpec) -> Kind:
    return _KIND[env.location]


def write_environments_txt(layout: Layout, envs: list[EnvSpec], symlink_target: Path | None) -> list[str]:
    """environments.txt as conda keeps it: one absolute prefix per line, in registration order, newline-terminated.

    Besides the real envs it holds what accumulates in practice: an env deleted by hand, a folder that is no
    (longer an) env, and an env reached again through a symlink. Project prefixes made by tools that do not
    register (pixi, a copied folder) are absent.
    """
    lines = [str(layout.prefix(e)) for e in envs if e.location != "project"]
    lines += [str(layout.deleted_path), str(layout.non_env_path)]
    if symlink_target is not None:
        layout.symlink_path.parent.mkdir(parents=True, exist_ok=True)
        layout.symlink_path.symlink_to(symlink_target, target_is_directory=True)
        lines.append(str(layout.symlink_path))
    layout.environments_txt.parent.mkdir(parents=True, exist_ok=True)
    layout.environments_txt.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    # A folder that looks env-ish (bin/, lib/) but has no conda-meta: discovery must skip it.
    (layout.non_env_path / "bin").mkdir(parents=True, exist_ok=True)
    (layout.non_env_path / "README.txt").write_text("Not a conda environment: no conda-meta/.\n", encoding="utf-8")
    return lines


def write_condarc(layout: Layout, channels: tuple[str, ...]) -> None:
    text = "channels:\n" + "".join(f"  - {c}\n" for c in channels)
    text += f"envs_dirs:\n  - {layout.team_envs}\npkgs_dirs:\n  - {layout.pkgs}\nchannel_priority: strict\n"
    layout.condarc.parent.mkdir(parents=True, exist_ok=True)
    layout.condarc.write_text(text, encoding="utf-8")


def _yml_dep(spec: str) -> str:
    """`pytorch=2.1.0=py3.10_...` or `python==3.10.13` → `pytorch=2.1.0`: what a person writes in environment.yml."""
    match = re.match(r"^([^=<>! ]+)==?([^=]+)", spec)
    return f"{match.group(1)}={match.group(2)}" if match else spec


def _environment_yml(name: str, channels: list[str], deps: list[str], pip: list[tuple[str, str]]) -> str:
    text = f"name: {name}\nchannels:\n" + "".join(f"  - {c}\n" for c in channels)
    text += "dependencies:\n" + "".join(f"  - {d}\n" for d in deps)
    if pip:
        text += "  - pip:\n" + "".join(f"      - {n}=={v}\n" for n, v in pip)
    return text


def _env_yml_of(env: EnvSpec, pip: list[tuple[str, str]]) -> str:
    """environment.yml naming `env`, as `conda env export --from-history` would write it."""
    channels = [("defaults" if c == "pkgs/main" else c) for c in env.channels]
    return _environment_yml(env.name, channels, [_yml_dep(s) for s in env.specs], pip)


# The kernelspec Jupyter's own ipykernel registers: what a notebook made outside any conda env records.
PYTHON3_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _write_notebook(path: Path, source: str, kernelspec: dict[str, str]) -> None:
    """An nbformat 4.5 notebook with one unexecuted code cell."""
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "a1",
                "metadata": {},
                "outputs": [],
                "source": [source],
            }
        ],
        "metadata": {"kernelspec": kernelspec, "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")


def write_project(layout: Layout, env: EnvSpec, pip: list[tuple[str, str]]) -> None:
    """environment.yml naming `env` (as `conda env export --from-history` would) and a notebook using its kernel."""
    layout.project_dir.mkdir(parents=True, exist_ok=True)
    (layout.project_dir / "environment.yml").write_text(_env_yml_of(env, pip), encoding="utf-8")
    kernelspec = {
        "display_name": f"Python [conda env:{env.name}]",
        "language": "python",
        "name": f"conda-env-{env.name}-py",
    }
    _write_notebook(layout.project_dir / "finetune.ipynb", "import torch", kernelspec)


def runnable_project_notebook(layout: Layout) -> Path:
    return layout.runnable_project_dir / "notebooks" / "train.ipynb"


def write_runnable_project(layout: Layout, env: EnvSpec) -> None:
    """A project whose environment.yml names `env`, with a notebook one folder down still on the stock `python3`
    kernel: the project environment is found by walking up, and the kernel does not match it."""
    layout.runnable_project_dir.mkdir(parents=True, exist_ok=True)
    (layout.runnable_project_dir / "environment.yml").write_text(_env_yml_of(env, list(env.pip)), encoding="utf-8")
    _write_notebook(runnable_project_notebook(layout), "import sys; print(sys.prefix)", PYTHON3_KERNELSPEC)


def write_ghost_project(layout: Layout, name: str) -> None:
    """environment.yaml (the other spelling) naming an environment nobody created yet."""
    layout.ghost_project_dir.mkdir(parents=True, exist_ok=True)
    text = _environment_yml(name, ["conda-forge"], ["python=3.11", "numpy"], [])
    (layout.ghost_project_dir / "environment.yaml").write_text(text, encoding="utf-8")
    _write_notebook(layout.ghost_project_dir / "analysis.ipynb", "import numpy", PYTHON3_KERNELSPEC)


def pixi_project_dir(layout: Layout, env: EnvSpec) -> Path:
    # <project>/.pixi/envs/<environment>
    return layout.prefix(env).parents[2]


def pixi_manifest(layout: Layout, env: EnvSpec) -> Path:
    return pixi_project_dir(layout, env) / "pixi.toml"


def write_pixi_project(layout: Layout, env: EnvSpec) -> None:
    """pixi.toml for the workspace whose default environment is `env`, and a notebook beside it."""
    project = pixi_project_dir(layout, env)
    channels = ", ".join(f'"{upstream}"' for upstream in _pixi_channels(env))
    deps = "".join(f'{d.split("=", 1)[0]} = "{_pixi_version(d)}"\n' for d in (_yml_dep(s) for s in env.specs))
    text = (
        f'[workspace]\nname = "{project.name}"\nchannels = [{channels}]\nplatforms = ["linux-64"]\n\n'
        f"[dependencies]\n{deps}"
    )
    pixi_manifest(layout, env).write_text(text, encoding="utf-8")
    _write_notebook(project / "analysis.ipynb", "import sys; print(sys.prefix)", PYTHON3_KERNELSPEC)


def _pixi_channels(env: EnvSpec) -> list[str]:
    # pixi has no `defaults`: Anaconda's channels are written as URLs.
    return [("https://repo.anaconda.com/pkgs/main" if c == "pkgs/main" else c) for c in env.channels]


def _pixi_version(dep: str) -> str:
    _, _, version = dep.partition("=")
    return f"=={version}" if version else "*"


def make_base_dirs(layout: Layout) -> None:
    # A Miniconda root always has these, even before any named env exists.
    for d in (layout.root / "envs", layout.root / "pkgs", layout.root / "condabin"):
        d.mkdir(parents=True, exist_ok=True)
    os.makedirs(layout.jupyter_path, exist_ok=True)

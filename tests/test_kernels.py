"""Which environment a kernelspec runs in."""

from __future__ import annotations

import os
from typing import Any

from jupyterlab_conda_envs.kernels.spec_environments import kernels_by_prefix

from .conftest import env_named


def _spec(argv: list[str], **metadata: str) -> dict[str, Any]:
    return {"spec": {"argv": argv, "display_name": "K", "language": "python", "metadata": metadata}}


def test_kernels_by_metadata_interpreter_and_bare_python(conda_root: dict[str, Any]) -> None:
    runnable = os.path.realpath(env_named(conda_root, "runnable")["prefix"])
    glm = os.path.realpath(env_named(conda_root, "glm_finetune")["prefix"])
    server = "/srv/jupyter-env"
    specs = {
        # runnable's bin/python is a venv symlink to the base interpreter: the folder decides, not the target.
        "by-argv": _spec([os.path.join(env_named(conda_root, "runnable")["prefix"], "bin", "python"), "-m", "x"]),
        "by-metadata": _spec(["/usr/bin/env", "python"], conda_env_path=glm),
        "bare-python": _spec(["python", "-m", "ipykernel_launcher"]),
        "elsewhere": _spec(["/opt/other/bin/python"]),
        "broken": {"spec": {"argv": "not a list"}},
    }
    found = kernels_by_prefix(specs, {runnable, glm, server}, server)
    assert {p: [k.name for k in ks] for p, ks in found.items()} == {
        runnable: ["by-argv"],
        glm: ["by-metadata"],
        server: ["bare-python"],
    }

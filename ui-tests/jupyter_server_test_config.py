"""Server for the UI tests: Galata's settings, plus the fixture conda root as the machine's conda.

Galata disables the token and XSRF checks; pytest proves authentication, these tests prove the UI.
"""

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # type: ignore[name-defined]  # noqa: F821
configure_jupyter_server(c)
# The test machines run as root; without this the server refuses to start.
c.ServerApp.allow_root = True

fixture_root = os.environ.get("CONDA_ENVS_FIXTURE_ROOT")
if not fixture_root:
    raise SystemExit("CONDA_ENVS_FIXTURE_ROOT is not set: build it with `python -m fixture_root build` first")
manifest = json.loads((Path(fixture_root) / "manifest.json").read_text(encoding="utf-8"))
# Discovery reads HOME, CONDA_EXE, ... per request; kernelspecs come from JUPYTER_PATH.
for key, value in manifest["env"].items():
    if value is None or value == "":
        os.environ.pop(key, None)
    else:
        os.environ[key] = value

# No GPU on the test machines: the panel's "This machine" and the compatibility verdicts run on recorded facts of an
# A100 on driver 525.60.13 (CUDA 12.0), which the UI labels "simulated".
c.CondaEnvs.gpu_facts_file = str(Path(__file__).parent / "gpu-facts.json")

# A private copy of the runnable environment, which the snapshot tests change (they pip-install into it): the shared
# fixture stays as pytest expects it. Copied with its links, as `conda create --clone` would not be (no conda here).
# The benchmark root has no runnable env, and no copy.
_runnable = next((e["prefix"] for e in manifest["envs"] if e["name"] == "runnable"), None)
if _runnable is not None:
    _scratch = tempfile.mkdtemp(prefix="conda-envs-galata-")
    atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
    shutil.copytree(_runnable, os.path.join(_scratch, "envs", "drift_lab"), symlinks=True)
    c.CondaEnvs.extra_env_dirs = [os.path.join(_scratch, "envs")]

# Creating environments: no conda CLI exists here, so by default the stand-in that reproduces conda's recorded output
# creates them (tests/stand_in), into a scratch folder that conda's CONDA_ENVS_PATH puts first; `slow_env` hangs so a
# test can cancel it. `auto` leaves the tool to the user, so a test can pick the built-in py-rattler backend, whose
# package cache is scratch too (HOME is the fixture's).
_new_envs = tempfile.mkdtemp(prefix="conda-envs-galata-new-")
atexit.register(shutil.rmtree, _new_envs, ignore_errors=True)
os.environ["CONDA_ENVS_PATH"] = os.pathsep.join(p for p in (_new_envs, os.environ.get("CONDA_ENVS_PATH")) if p)
os.environ["STAND_IN_CONDA_MODES"] = "slow_env:hang"
os.environ["STAND_IN_CONDA_DELAY"] = "0.05"
c.CondaEnvs.conda_executable = str(Path(__file__).resolve().parent.parent / "tests" / "stand_in" / "conda")
c.CondaEnvs.create_backend = "auto"
c.CondaEnvs.create_backend_choices = ["conda", "rattler"]
_pkgs = tempfile.mkdtemp(prefix="conda-envs-galata-pkgs-")
atexit.register(shutil.rmtree, _pkgs, ignore_errors=True)
c.CondaEnvs.create_pkgs_dir = _pkgs

"""Server for the UI tests: Galata's settings, plus the fixture conda root as the machine's conda.

Galata disables the token and XSRF checks; pytest proves authentication, these tests prove the UI.
"""

import json
import os
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

"""The rattler backend's pip step: the `pip:` lines of an environment file, installed by the new environment's own
`python -m pip`, as `conda env create` does.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Mapping, Sequence

from ...core.process import Lines, run_process
from .events import CONDA_SHARE, TAIL_LINES, Progress, RattlerCreateError, RattlerEvent, tail_text


def _env_python(prefix: str) -> str:
    if sys.platform == "win32":
        return os.path.join(prefix, "python.exe")
    return os.path.join(prefix, "bin", "python")


async def pip_install(prefix: str, lines: Sequence[str], pip_env: Mapping[str, str] | None, progress: Progress) -> None:
    """`python -m pip install -U -r <file> --exists-action=b` with the environment's own Python, as
    `conda env create` runs a `pip:` section (conda/env/installers/pip.py)."""
    progress.emit(RattlerEvent("progress", progress.share, "pip", f"Installing {len(lines)} pip requirement(s)"))
    python = _env_python(prefix)
    if not os.path.exists(python):
        raise RattlerCreateError(
            "The environment has pip requirements but no Python: add python and pip to its dependencies."
        )
    # A private folder (0700): requirement lines can carry index credentials.
    workdir = tempfile.mkdtemp(prefix="conda-envs-pip-")
    try:
        requirements = os.path.join(workdir, "requirements.txt")
        with open(requirements, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP")}
        env.update({"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PYTHONUNBUFFERED": "1"})
        env.update(pip_env or {})
        stderr: deque[str] = deque(maxlen=TAIL_LINES)

        def on_stderr(line: str) -> None:
            stderr.append(line)
            if line.strip():
                progress.log(line, "pip")

        rc = await run_process(
            [python, "-m", "pip", "install", "-U", "-r", requirements, "--exists-action=b"],
            env=env,
            cwd=workdir,
            on_stdout=Lines(lambda line: progress.log(line, "pip") if line.strip() else None),
            on_stderr=Lines(on_stderr),
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if rc != 0:
        detail = tail_text(stderr) or "no output"
        raise RattlerCreateError(f"pip failed (exit code {rc}):\n{detail}")
    progress.emit(RattlerEvent("progress", CONDA_SHARE, "pip", "pip requirements installed"))

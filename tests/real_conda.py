"""Where the real conda CLI is (installed by scripts/setup.sh from ../shared into .real-conda), and how to run it
in a world of its own (HOME, .condarc and package cache under one folder) so it never reads or writes the user's.

scripts/test.sh sets CONDA_ENVS_REQUIRE_REAL_CONDA=1: there a missing conda fails the tests that need it instead of
skipping them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fixture_root.conda_made import POINTING_ELSEWHERE

REPO = Path(__file__).resolve().parent.parent


def real_conda_path() -> Path | None:
    configured = os.environ.get("CONDA_ENVS_REAL_CONDA")
    path = Path(configured) if configured else REPO / ".real-conda" / "bin" / "conda"
    return path if path.is_file() and os.access(path, os.X_OK) else None


def require_real_conda() -> Path:
    """The real conda, or a failure (in CI) / a skip that says why (elsewhere)."""
    path = real_conda_path()
    if path is not None:
        return path
    why = (
        "no real conda CLI: run scripts/setup.sh next to ../shared (it installs .real-conda),"
        " or set CONDA_ENVS_REAL_CONDA"
    )
    if os.environ.get("CONDA_ENVS_REQUIRE_REAL_CONDA") == "1":
        pytest.fail(why)
    pytest.skip(why)


def conda_world_environ(home: Path, condarc: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a conda child that sees only `home` and `condarc` (never the user's own)."""
    env = dict(os.environ if base is None else base)
    for key in POINTING_ELSEWHERE:
        env.pop(key, None)
    # conda is a Python program: pytest-jupyter's exported sys.path would make it import this venv's packages.
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    env["HOME"] = str(home)
    env["CONDARC"] = str(condarc)
    env["CONDA_NUMBER_CHANNEL_NOTICES"] = "0"
    env["CONDA_REPORT_ERRORS"] = "false"
    return env


def run_conda(
    conda: Path, args: list[str], environ: dict[str, str], *, check: bool = True, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    # Tests run conda directly (an argument list, never a shell): it is the reference being compared against.
    done = subprocess.run(
        [str(conda), *args], env=environ, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"conda {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def conda_json(conda: Path, args: list[str], environ: dict[str, str]) -> Any:
    return json.loads(run_conda(conda, [*args, "--json"], environ).stdout)


def exit_meant(returncode: int, stdout: str) -> int:
    """The exit status conda meant, where it crashed after saying everything.

    Seen with conda 26.7 and conda-rattler-solver: on the PackagesNotFoundInChannelsError path, about one run in
    ten dies at interpreter exit (SIGSEGV or SIGABRT) after writing its complete error document; the classic solver
    never did (0 of 40), nor did a successful create (0 of 25). A death by a signal after a complete JSON error
    document is taken as the exit 1 conda was on its way to; anything else is left as it was. The extension itself
    reads the document, not the status (tests/test_real_conda_jobs.py: the job fails with conda's error either way).
    """
    if returncode not in (-6, -11, 128 + 6, 128 + 11):  # SIGABRT, SIGSEGV (as a status or through a shell)
        return returncode
    try:
        document = json.loads(stdout.rsplit("\0", 1)[-1].strip())
    except ValueError:
        return returncode
    complete_error = isinstance(document, dict) and document.get("success") is not True and "exception_name" in document
    return 1 if complete_error else returncode

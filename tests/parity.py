"""What the parity tests compare: conda's own answers about the conda-made root, and the extension's.

conda is run as an ordinary (non-root) user would run it. As root, conda lists the environments of *every* user
(each home's `~/.conda/environments.txt`, from the password database) and ignores `$HOME`'s; the extension lists
the server user's own (README, "Checked against conda"). On a machine where the tests run as root, a user namespace
(`unshare --user --map-user`) gives conda a non-root uid that still owns the files, so it reads what a user reads.

Each conda answer is computed once per session: a conda start costs about a second.
"""

from __future__ import annotations

import functools
import json
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from typing import Any

from .real_conda import run_conda

# Any non-zero uid: inside the namespace it maps to the tests' own uid, so the files stay the caller's.
_USER_UID = 1000


def _as_user(conda: Path) -> Path | list[str]:
    if os.geteuid() != 0:
        return conda
    unshare = shutil.which("unshare")
    if unshare is None:
        raise AssertionError("the tests run as root and util-linux's unshare is missing: conda would list every user")
    return [unshare, "--user", f"--map-user={_USER_UID}", f"--map-group={_USER_UID}", "--", str(conda)]


class CondaAnswers:
    """conda's answers about one conda-made root (its manifest from fixture_root.conda_made)."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        self.manifest = manifest
        self.conda = Path(manifest["paths"]["root"]) / "bin" / "conda"
        self.environ = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CONDA_", "MAMBA_")) and k not in ("CONDARC", "PIP_INDEX_URL")
        }
        self.environ.update(HOME=manifest["paths"]["home"], CONDA_NUMBER_CHANNEL_NOTICES="0")

    @functools.cache  # noqa: B019 - one object per module; its answers never change within it
    def completed(self, *args: str) -> subprocess.CompletedProcess[str]:
        runner = _as_user(self.conda)
        if isinstance(runner, list):
            return run_conda(Path(runner[0]), [*runner[1:], *args], self.environ, check=False)
        return run_conda(runner, list(args), self.environ, check=False)

    def as_root(self, conda_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
        """conda run as root (a user namespace mapped to uid 0), with the `~/.conda` of root's home in the
        password database replaced by `conda_dir` (a mount namespace), so root's own file is the test's."""
        home = Path(pwd.getpwuid(0).pw_dir) / ".conda"
        if not home.is_dir():
            home.mkdir(parents=True)  # only a mount point; conda creates the same folder on first use
        unshare = shutil.which("unshare")
        assert unshare, "util-linux's unshare is missing"
        script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
        argv = ["--user", "--map-root-user", "--mount", "--", "sh", "-c", script, "sh", str(conda_dir), str(home)]
        return run_conda(Path(unshare), [*argv, str(self.conda), *args], self.environ, check=False)

    def text(self, *args: str) -> str:
        done = self.completed(*args)
        assert done.returncode == 0, f"conda {' '.join(args)} exited {done.returncode}:\n{done.stderr}"
        return done.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.text(*args, "--json"))

"""What `conda activate` would add to an environment: the `etc/conda/activate.d` scripts its packages ship.

The manifest records the scripts and the variables they export, measured by sourcing them in `sh` the way conda's
POSIX activator does (with CONDA_PREFIX already set), so tests compare against what the scripts really do.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

_ACTIVATE_D = Path("etc") / "conda" / "activate.d"
# Variables a shell sets or changes by itself, not by the scripts it sources.
_SHELL_OWN = frozenset({"_", "PWD", "OLDPWD", "SHLVL"})


def activate_scripts(prefix: Path) -> list[str]:
    """Prefix-relative paths of every file in etc/conda/activate.d, in the (name) order conda runs them."""
    folder = prefix / _ACTIVATE_D
    if not folder.is_dir():
        return []
    return [(_ACTIVATE_D / p.name).as_posix() for p in sorted(folder.iterdir()) if p.is_file()]


def _environ_after(prefix: Path, scripts: list[Path]) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "CONDA_PREFIX": str(prefix)}
    code = 'for f do . "$f" || exit 1; done; exec env -0'
    proc = subprocess.run(
        ["sh", "-c", code, "sh", *map(str, scripts)], env=env, cwd=prefix, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"sourcing {scripts} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    pairs = (item.split("=", 1) for item in proc.stdout.decode().split("\0") if "=" in item)
    return {k: v for k, v in pairs if k not in _SHELL_OWN}


def activate_exports(prefix: Path, scripts: list[str]) -> dict[str, str]:
    """The variables the `.sh` scripts set or change when sourced in order with CONDA_PREFIX=`prefix`."""
    sh = [prefix / s for s in scripts if s.endswith(".sh")]
    if not sh:
        return {}
    before = _environ_after(prefix, [])
    after = _environ_after(prefix, sh)
    return {k: v for k, v in sorted(after.items()) if before.get(k) != v}

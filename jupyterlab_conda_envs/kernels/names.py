"""Kernel names for environments, following nb_conda_kernels so notebooks saved under it open with the right kernel.

nb_conda_kernels (2.5) names an environment's kernels `conda-env-<env>-<kernel>` (`conda-base-<kernel>` for the root
it runs from), where `<env>` is the prefix's folder name, or `<parent>-<env>` for a prefix in an `envs` folder other
than that root's (e.g. `~/.conda/envs/x` → `.conda-x`). Kernel folders `python3`/`python2` become `py`, `ir` becomes
`r`; anything outside `[a-zA-Z0-9._-]` becomes `_` after accents are stripped.

Two deliberate differences, both about names nb_conda_kernels would make ambiguous:
- a prefix whose folder name says nothing (`./env`, `./.conda`, pixi's `default`) is qualified by its project
  folder, so two projects' `env` folders are two names (`myproj-env`);
- a remaining collision gets a suffix derived from the prefix itself, not a counter, so a name never moves to
  another environment when environments are added or removed.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Folder names that identify nothing on their own: qualified by the folder that holds them.
_GENERIC_NAMES = frozenset({"env", ".env", ".conda", "venv", ".venv", "default"})
_INVALID = re.compile(r"[^a-zA-Z0-9._\-]")
_KERNEL_KEYS = {"python3": "py", "python2": "py", "ir": "r"}


@dataclass(frozen=True)
class NamedEnv:
    prefix: str
    # The environment name used in kernel names and display names (`base`, `llm_train`, `.conda-x`, `proj-env`).
    env_name: str


def clean_kernel_name(name: str) -> str:
    """A valid Jupyter kernel name with as much of `name` readable as possible (nb_conda_kernels' rule)."""
    if not name.isascii():
        decomposed = unicodedata.normalize("NFKD", name)
        name = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _INVALID.sub("_", name)


def kernel_key(kernel_dir_name: str) -> str:
    """The last part of a kernel name for a kernelspec folder carried by an environment."""
    lowered = kernel_dir_name.lower()
    return _KERNEL_KEYS.get(lowered, lowered)


def kernel_name(env_name: str, key: str, is_base: bool) -> str:
    middle = env_name if is_base and env_name == "base" else f"env-{env_name}"
    return clean_kernel_name(f"conda-{middle}-{key}")


def _short_hash(prefix: str) -> str:
    return hashlib.sha256(os.fsencode(prefix)).hexdigest()[:6]


def _natural_name(prefix: str, primary_root: str | None) -> str:
    if primary_root is not None and prefix == primary_root:
        return "base"
    parent, name = os.path.split(prefix)
    grand_parent = os.path.dirname(parent)
    if os.path.basename(parent) == "envs":
        if os.path.basename(grand_parent) == ".pixi":
            # <project>/.pixi/envs/<env>: the project folder is what the user knows it by.
            project = os.path.basename(os.path.dirname(grand_parent))
            return project if name == "default" else f"{project}-{name}"
        if primary_root is None or parent != os.path.join(primary_root, "envs"):
            return f"{os.path.basename(grand_parent)}-{name}"
        return name
    if name in _GENERIC_NAMES:
        return f"{os.path.basename(parent)}-{name}"
    return name


def _favoured(prefix: str, primary_root: str | None) -> bool:
    """The one environment that keeps a contested name: the primary root or one in its envs folder, as in
    nb_conda_kernels (where it comes first in `conda info`'s list)."""
    if primary_root is None:
        return False
    return prefix == primary_root or os.path.dirname(prefix) == os.path.join(primary_root, "envs")


def name_environments(prefixes: Iterable[str], primary_root: str | None) -> list[NamedEnv]:
    """Unique environment names for `prefixes` (realpaths), in the order given.

    When names collide (after cleaning: `données` and `donnees` are one kernel name), every colliding environment
    gets a suffix derived from its own prefix, except one in the primary root's envs folder. So a name never moves
    to another environment when environments come and go: at worst it disappears, and JupyterLab asks for a kernel
    instead of silently running a notebook somewhere else.
    """
    listed = list(prefixes)
    natural = {p: _natural_name(p, primary_root) for p in listed}
    groups: dict[str, list[str]] = {}
    for prefix in listed:
        groups.setdefault(clean_kernel_name(natural[prefix]), []).append(prefix)
    keepers = {_keeper(group, natural, primary_root) for group in groups.values()}
    out: list[NamedEnv] = []
    for prefix in listed:
        name = natural[prefix]
        if prefix not in keepers:
            name = f"{name}-{_short_hash(prefix)}"
        out.append(NamedEnv(prefix, name))
    return out


def _keeper(group: list[str], natural: dict[str, str], primary_root: str | None) -> str | None:
    """The member of a group of same-named environments that keeps the plain name, if any."""
    if len(group) == 1:
        only = group[0]
        # A folder called `base` elsewhere must not take the root's kernel name.
        return None if natural[only] == "base" and only != primary_root else only
    if primary_root in group:
        return primary_root
    favoured = [p for p in group if _favoured(p, primary_root)]
    # Two in the root's envs folder that clean alike (`données`, `donnees`): the one already clean keeps.
    exact = [p for p in favoured if natural[p] == clean_kernel_name(natural[p])]
    if len(favoured) == 1:
        return favoured[0]
    return exact[0] if len(exact) == 1 else None

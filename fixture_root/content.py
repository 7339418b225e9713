"""The files staged into each conda package before rattler-build assembles it.

Files are tiny but laid out where real packages put them, because the extension reads them: dist-info folders
tell conda-built Python packages from pip installs (`INSTALLER` says `conda`), `torch/version.py` names the CUDA
build, and the `python` record must be large like the real one (thousands of paths) to keep parsing honest.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from .model import CondaPackage

# Where an interpreter launcher would be; the placeholder fails loudly instead of pretending to be Python.
_LAUNCHER = (
    '#!/bin/sh\necho "fixture_root: placeholder for a conda python launcher, not an interpreter" >&2\nexit 127\n'
)


_FALLBACK_STDLIB = frozenset(
    "abc argparse ast asyncio base64 collections contextlib copy csv dataclasses datetime decimal email enum "
    "functools glob hashlib heapq html http importlib inspect io itertools json logging math multiprocessing os "
    "pathlib pickle platform queue random re shutil signal socket sqlite3 ssl string struct subprocess sys "
    "tempfile textwrap threading time traceback typing unittest urllib uuid warnings weakref xml zipfile".split()
)


def dist_info_name(project: str, version: str) -> str:
    """`<name>-<version>.dist-info` with the name normalized as wheels and pip write it (PEP 427/503)."""
    return f"{re.sub(r'[-_.]+', '_', project)}-{version}.dist-info"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def stage_package(pkg: CondaPackage, stage: Path) -> bool:
    """Lay out `pkg`'s files under `stage`; returns False when the package carries no files at all."""
    if pkg.payload == "interpreter":
        _stage_interpreter(pkg, stage)
    elif pkg.payload == "python-package":
        _stage_python_package(pkg, stage)
    elif pkg.payload == "library":
        # Shared libraries live in lib/ with a soname; the content is irrelevant, the path is what records list.
        base = pkg.name[3:] if pkg.name.startswith("lib") else pkg.name
        major = pkg.version.split(".")[0]
        _write(stage / "lib" / f"lib{base}.so.{major}", f"placeholder shared object for {pkg.dist}\n")
    for rel, text in pkg.extra_files if pkg.payload != "python-package" else ():
        _write(stage / rel, text)
    return pkg.payload != "none" or bool(pkg.extra_files)


def site_packages(pkg: CondaPackage) -> str:
    """Where a python package's files go inside the archive.

    noarch: python packages ship `site-packages/` at the archive root and the installer relocates them into the
    environment's `lib/pythonX.Y/site-packages`; arch-specific builds ship the final path.
    """
    if pkg.noarch == "python":
        return "site-packages"
    if not pkg.python:
        raise ValueError(f"{pkg.dist}: an arch-specific python package needs `python`")
    return f"lib/python{pkg.python}/site-packages"


def _stage_python_package(pkg: CondaPackage, stage: Path) -> None:
    sp = stage / site_packages(pkg)
    project = pkg.dist_name or pkg.name
    module = pkg.module or re.sub(r"[-.]+", "_", pkg.name)
    if module.endswith(".py"):
        _write(sp / module, f'__version__ = "{pkg.version}"\n')
    else:
        _write(sp / module / "__init__.py", f'"""{project} (fixture_root stub)."""\n__version__ = "{pkg.version}"\n')
    info = sp / dist_info_name(project, pkg.version)
    _write(info / "METADATA", metadata_text(project, pkg.version, pkg.summary or f"{project} as built by conda"))
    # conda-build and rattler-build packages say who installed them; pip's own installs say "pip".
    _write(info / "INSTALLER", "conda\n")
    _write(info / "top_level.txt", module.removesuffix(".py").split("/")[0] + "\n")
    for rel, text in pkg.extra_files:
        _write(sp / rel, text)


def metadata_text(project: str, version: str, summary: str, requires: tuple[str, ...] = (), python: str = "") -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {project}", f"Version: {version}", f"Summary: {summary}"]
    if python:
        lines.append(f"Requires-Python: {python}")
    lines += [f"Requires-Dist: {r}" for r in requires]
    # Extras used in markers must be declared, as build backends do.
    extras = sorted({m for r in requires for m in re.findall(r'extra == "([^"]+)"', r)})
    lines += [f"Provides-Extra: {e}" for e in extras]
    return "\n".join(lines) + "\n\n"


def _stdlib_names() -> list[str]:
    # The host's own list keeps the layout plausible without a hand-maintained table.
    names = getattr(sys, "stdlib_module_names", None) or _FALLBACK_STDLIB  # the attribute is Python >= 3.10
    return sorted(n for n in names if not n.startswith("_") and n.isidentifier())


def _stage_interpreter(pkg: CondaPackage, stage: Path) -> None:
    xy = ".".join(pkg.version.split(".")[:2])
    tag = xy.replace(".", "")
    lib = stage / "lib" / f"python{xy}"
    _write(stage / "bin" / f"python{xy}", _LAUNCHER)
    os.chmod(stage / "bin" / f"python{xy}", 0o755)
    for link in ("python", "python3"):
        (stage / "bin" / link).symlink_to(f"python{xy}")
    _write(stage / "lib" / f"libpython{xy}.so.1.0", "placeholder\n")
    _write(stage / "include" / f"python{xy}" / "Python.h", "/* placeholder */\n")
    _write(
        lib / "site-packages" / "README.txt",
        "This directory exists so that 3rd party packages can be installed here.\n",
    )
    count = 4
    names = _stdlib_names()
    for name in names:
        if count >= pkg.interpreter_files:
            return
        _write(lib / f"{name}.py", f'"""{name} (fixture_root stub of the standard library)."""\n')
        _write(lib / "__pycache__" / f"{name}.cpython-{tag}.pyc", "stub\n")
        count += 2
    i = 0
    while count < pkg.interpreter_files:
        # The real test suite is the bulk of a python record; mirror that.
        _write(lib / "test" / f"test_{names[i % len(names)]}_{i // len(names)}.py", "# stub\n")
        count += 1
        i += 1

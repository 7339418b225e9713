"""The `bench` catalogue: 30 conda-forge environments of ~400 packages each, generated deterministically.

Package names are popular PyPI projects (bench_names.txt) packaged the conda-forge way; each environment takes a
different subset and mixes two versions per package, so that records, counts and caches differ per environment
as they do on a real machine. The interpreter carries several thousand paths, like a real python record.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import pystack
from .model import Catalogue, CondaPackage, EnvSpec
from .shared import HF, VIRTUAL_PACKAGES, WHEELS

ENV_COUNT = 30
PYTHON = "3.12.7"
XY = "3.12"
INTERPRETER_FILES = 3000
_SHARE = 80  # percent of the name pool each environment takes
# Packages every bench env depends on through the pool's `depends`, so any subset still solves.
_CORE_DEPS = ("packaging", "typing_extensions", "requests", "six", "python-dateutil", "platformdirs")


def _h(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256("\0".join(map(str, parts)).encode()).digest()[:8], "big")


def _names() -> list[tuple[str, str]]:
    text = (Path(__file__).parent / "bench_names.txt").read_text(encoding="utf-8")
    return [(n, v) for n, v in (line.split() for line in text.splitlines() if line and not line.startswith("#"))]


def _alt_version(version: str) -> str:
    """A second, nearby release of the same package."""
    parts = version.split(".")
    last = int(parts[-1])
    parts[-1] = str(last + 1 if last == 0 else last - 1)
    return ".".join(parts)


def _pool_package(name: str, version: str) -> CondaPackage:
    deps = sorted({_CORE_DEPS[_h(name, k) % len(_CORE_DEPS)] for k in range(_h(name) % 3)})
    module = name.replace("-", "_")
    if _h(name, "arch") % 5 == 0:  # roughly the share of compiled packages on conda-forge
        tag = XY.replace(".", "")
        return CondaPackage(
            "conda-forge",
            name,
            version,
            f"py{tag}h{_h(name, version) % 16**7:07x}_0",
            depends=tuple(sorted([*deps, *pystack.cf_compiled_deps(XY)])),
            payload="python-package",
            python=XY,
            module=module,
        )
    return CondaPackage(
        "conda-forge",
        name,
        version,
        "pyhd8ed1ab_0",
        subdir="noarch",
        noarch="python",
        depends=tuple(sorted([*deps, "python >=3.9"])),
        payload="python-package",
        module=module,
    )


def bench_catalogue() -> Catalogue:
    names = _names()
    pool = [p for n, v in names for p in (_pool_package(n, v), _pool_package(n, _alt_version(v)))]
    packages = (*pystack.stack("cf", [PYTHON], INTERPRETER_FILES, {XY: ["2.1.3"]}), *pool)
    envs = [
        EnvSpec(
            "base",
            "base",
            ("conda-forge",),
            (f"python=={PYTHON}", "conda", "pip"),
            PYTHON,
        )
    ]
    for i in range(ENV_COUNT):
        chosen = [(n, v if _h(n, i, "v") % 3 else _alt_version(v)) for n, v in names if _h(n, i) % 100 < _SHARE]
        base = [f"python=={PYTHON}", "pip", "numpy", *(["ipykernel"] if i % 2 == 0 else [])]
        envs.append(
            EnvSpec(
                f"bench_{i:02d}",
                "envs",
                ("conda-forge",),
                (*base, *(f"{n}=={v}" for n, v in chosen)),
                PYTHON,
                pip=HF[:3] if i % 10 == 0 else (),
                history_date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} 09:30:00",
            )
        )
    return Catalogue(
        name="bench",
        packages=packages,
        wheels=WHEELS,
        envs=tuple(envs),
        virtual_packages=VIRTUAL_PACKAGES,
        condarc_channels=("conda-forge",),
    )

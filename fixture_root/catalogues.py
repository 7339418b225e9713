"""Every catalogue by name: the one entry point the builder and the command line use.

It lives apart from the catalogues themselves so that no catalogue imports another: what `test` and `bench` share
is in `shared.py`.
"""

from __future__ import annotations

from .bench import bench_catalogue
from .catalogue import standard_catalogue
from .model import Catalogue


def catalogue(name: str) -> Catalogue:
    if name in ("test", "demo"):
        return standard_catalogue(name)
    if name == "bench":
        return bench_catalogue()  # generated on demand: it is large
    raise ValueError(f"unknown catalogue {name!r} (expected test, demo or bench)")

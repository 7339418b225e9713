"""Builds real conda roots (Miniconda layout, environments, kernels) from declarative catalogues, for tests,
the demo and the benchmark. Not part of the shipped package.

    from fixture_root import build_root, load_manifest
    manifest = build_root("test", Path(".fixture-root/test"), reuse=True)

or `python -m fixture_root build --catalogue test --out DIR [--reuse]`.
"""

from __future__ import annotations

from .builder import build_root, catalogue_hash
from .catalogues import catalogue
from .manifest import EnvEntry, Manifest, environ, load_manifest

__all__ = ["EnvEntry", "Manifest", "build_root", "catalogue", "catalogue_hash", "environ", "load_manifest"]

"""The gator bench's conda-made root: built by the real conda, isolated from the user's conda, reused when unchanged,
and every environment in it is one the extension lists (else the bench would compare different sets)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from benchmarks import gator
from tests.real_conda import require_real_conda


def test_world_is_made_by_conda_reused_and_seen_alike(
    tmp_path: Path, conda_root: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    conda = require_real_conda()
    monkeypatch.setenv("CONDA_ENVS_REAL_CONDA", str(conda))
    monkeypatch.setattr(gator, "ENVIRONMENTS", 3)
    monkeypatch.setattr(gator, "SPECS", (("python=3.10", "numpy"), ("python=3.11",)))
    channel = Path(conda_root["paths"]["channels"]) / "pkgs" / "main"
    world = tmp_path / "gator"
    prefixes = gator.build_world(world, conda, channel)
    assert len(prefixes) == 3
    # The third is a clone of the first: the same packages, made by conda (its history names the command).
    first, third = (sorted(p.name for p in (Path(x) / "conda-meta").glob("*.json")) for x in (prefixes[0], prefixes[2]))
    assert first == third and any(n.startswith("numpy-") for n in first)
    assert "--clone" in (Path(prefixes[2]) / "conda-meta" / "history").read_text()

    listing = json.loads(
        subprocess.run(
            [str(conda), "env", "list", "--json"], env=gator.world_environ(world), capture_output=True, check=True
        ).stdout
    )
    # conda sees the world's root and its environments, nothing of the machine's own.
    assert sorted(listing["envs"]) == sorted([os.path.realpath(world / "root"), *prefixes])

    stamp_mtime = (world / gator.STAMP).stat().st_mtime_ns
    assert gator.build_world(world, conda, channel) == prefixes
    assert (world / gator.STAMP).stat().st_mtime_ns == stamp_mtime  # reused, not rebuilt

    monkeypatch.setattr(gator, "ENVIRONMENTS", 2)
    assert len(gator.build_world(world, conda, channel)) == 2  # a changed recipe rebuilds

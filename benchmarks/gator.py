"""What a gator-style panel pays: the real conda CLI asked for the environments and then each one's packages, beside
the extension reading the same environments' files, on a root of 30 environments made by the real conda.

    python -m benchmarks.gator [--out .bench-root] [--test-root .fixture-root/test]

(a) `conda env list --json`, then `conda list --json -p <prefix>` per environment, as a conda-CLI panel lists;
(b) the extension, cold: its cache invalidated as conda does it (conda-meta/history touched), then the listing and
    every environment's packages through the real server; (c) the same, warm.
Reference: rattler.PrefixRecord.from_path reading every record of the root. The four are measured interleaved, round
by round, so a machine that speeds up or slows down during the run moves them all; figures are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import rattler

from fixture_root import build_root, load_manifest

from .server import Server

REPO = Path(__file__).resolve().parent.parent
ENVIRONMENTS = 30
REPEAT = 3  # each conda round is ~11 s on 2 cores: a few rounds keep the run near a minute
# Distinct creates (the placeholder packages of the test root's pkgs/main channel); the other environments clone
# them in turn, as people do, which keeps the build near 20 s.
SPECS: tuple[tuple[str, ...], ...] = (
    ("python=3.11", "ipykernel", "requests", "numpy"),
    ("python=3.10", "numpy", "pillow", "sympy"),
    ("python=3.8", "pyyaml", "tqdm", "networkx"),
    ("python=3.11", "jupyter_client", "psutil", "fsspec"),
    ("python=3.10", "ipython", "jinja2", "urllib3"),
    ("python=3.11", "pip", "setuptools", "wheel"),
)
STAMP = "gator-world.json"
# Variables of an activated conda shell or a mamba install that would point conda or discovery at another root.
_CLEARED = ("CONDA_PREFIX", "CONDA_DEFAULT_ENV", "CONDA_SHLVL", "CONDA_ENVS_PATH", "CONDA_PKGS_DIRS")
_CLEARED_TOO = ("CONDA_ROOT_PREFIX", "MAMBA_ROOT_PREFIX", "MAMBA_EXE", "CONDA_EXE", "CONDA_PYTHON_EXE")


def real_conda() -> Path:
    configured = os.environ.get("CONDA_ENVS_REAL_CONDA")
    path = Path(configured) if configured else REPO / ".real-conda" / "bin" / "conda"
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise SystemExit(f"no real conda at {path}: run scripts/setup.sh, or set CONDA_ENVS_REAL_CONDA")
    return path


def world_environ(world: Path) -> dict[str, str]:
    """conda and the server both see only the world: its HOME (environments.txt) and its condarc."""
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED + _CLEARED_TOO}
    env.update(
        HOME=str(world / "home"),
        CONDARC=str(world / "condarc"),
        CONDA_NUMBER_CHANNEL_NOTICES="0",
        CONDA_REPORT_ERRORS="false",
    )
    return env


def _conda(conda: Path, args: list[str], environ: dict[str, str]) -> str:
    # An argument list, never a shell: conda is the thing measured, run exactly as a panel would run it.
    done = subprocess.run([str(conda), *args], env=environ, capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"conda {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def build_world(world: Path, conda: Path, channel: Path) -> list[str]:
    """The root and its environments, made by conda once and reused while the stamp says the same recipe."""
    recipe = {"environments": ENVIRONMENTS, "specs": [list(s) for s in SPECS], "channel": str(channel)}
    stamp = world / STAMP
    if stamp.is_file() and json.loads(stamp.read_text(encoding="utf-8")).get("recipe") == recipe:
        return [str(p) for p in json.loads(stamp.read_text(encoding="utf-8"))["prefixes"]]
    if world.exists():
        subprocess.run(["rm", "-rf", "--", str(world)], check=True)
    root = world / "root"
    (root / "conda-meta").mkdir(parents=True)
    (root / "conda-meta" / "history").write_text("", encoding="utf-8")  # conda needs it to take root as its root
    (world / "home").mkdir()
    (world / "condarc").write_text(
        f"root_prefix: {root}\nenvs_dirs: [{root / 'envs'}]\npkgs_dirs: [{world / 'pkgs'}]\n"
        "channels: []\nsolver: rattler\n",
        encoding="utf-8",
    )
    environ = world_environ(world)
    started = time.perf_counter()
    prefixes: list[str] = []
    for i in range(ENVIRONMENTS):
        prefix = str(root / "envs" / f"env{i:02d}")
        if i < len(SPECS):
            args = ["create", "-y", "-q", "-p", prefix, "-c", channel.as_uri(), "--override-channels", *SPECS[i]]
        else:
            args = ["create", "-y", "-q", "-p", prefix, "--clone", prefixes[i % len(SPECS)], "--offline"]
        _conda(conda, args, environ)
        prefixes.append(os.path.realpath(prefix))
    print(f"gator world: {ENVIRONMENTS} environments made by conda in {time.perf_counter() - started:.1f} s")
    stamp.write_text(json.dumps({"recipe": recipe, "prefixes": prefixes}), encoding="utf-8")
    return prefixes


def _touch_history(prefixes: list[str]) -> None:
    now = time.time()
    for prefix in prefixes:
        os.utime(os.path.join(prefix, "conda-meta", "history"), (now, now + (time.monotonic_ns() % 1000) / 1000))


def _interleaved(measures: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Median milliseconds of each measure, taken one round of all of them at a time."""
    samples: dict[str, list[float]] = {label: [] for label in measures}
    for _ in range(rounds):
        for label, fn in measures.items():
            started = time.perf_counter()
            fn()
            samples[label].append((time.perf_counter() - started) * 1000)
    return {label: statistics.median(values) for label, values in samples.items()}


def gator_rows(world: Path, test_manifest: dict[str, Any]) -> tuple[list[tuple[str, float, float]], str]:
    """(label, ms, ratio to the reference) rows, and a line saying what was measured."""
    conda = real_conda()
    channel = Path(test_manifest["paths"]["channels"]) / "pkgs" / "main"
    prefixes = build_world(world, conda, channel)
    environ = world_environ(world)
    records = [p for prefix in prefixes for p in sorted((Path(prefix) / "conda-meta").glob("*.json"))]

    def with_conda() -> None:
        listing = json.loads(_conda(conda, ["env", "list", "--json"], environ))
        for prefix in listing["envs"]:
            json.loads(_conda(conda, ["list", "--json", "-p", prefix], environ))

    with tempfile.TemporaryDirectory() as tmp, Server(environ, Path(tmp), Path(tmp) / "server.log") as server:
        listing = server.get("conda-envs/environments")
        ids = [e["id"] for e in listing["environments"]]
        listed = {e["prefix"] for e in listing["environments"]}
        missing = set(prefixes) - listed
        if missing:
            raise RuntimeError(f"the server does not list {sorted(missing)[:3]}")

        def extension() -> None:
            server.get("conda-envs/environments")
            for env_id in ids:
                server.get(f"conda-envs/environments/{env_id}/packages")

        def extension_cold() -> None:
            _touch_history(prefixes)
            extension()

        with_conda()  # first runs discarded: conda's and the OS's caches warm for every measure alike
        extension()
        medians = _interleaved(
            {
                "reference": lambda: [rattler.PrefixRecord.from_path(p) for p in records],
                "conda env list + conda list -p per env": with_conda,
                "extension: listing + packages, cold": extension_cold,
                "extension: listing + packages, warm": extension,
            },
            REPEAT,
        )
    reference = medians["reference"]
    rows = [(label, ms, ms / reference) for label, ms in medians.items()]
    what = (
        f"{len(ids)} environments listed ({len(prefixes)} made by conda, {len(records)} conda records), "
        f"median of {REPEAT}, interleaved; reference: rattler.PrefixRecord.from_path on all records"
    )
    return rows, what


def print_rows(rows: list[tuple[str, float, float]], what: str) -> None:
    print(f"\ngator-style listing with the real conda CLI vs the extension: {what}")
    print(f"{'measure':<44} {'ms':>9} {'x reference':>12}")
    for label, ms, ratio in rows:
        print(f"{label:<44} {ms:>9.1f} {ratio:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=".bench-root", help="the bench folder; the conda-made root goes in gator/")
    parser.add_argument("--test-root", default=".fixture-root/test", help="the test root (its pkgs/main channel)")
    args = parser.parse_args()
    test_out = Path(args.test_root).resolve()
    build_root("test", test_out, reuse=True)
    print_rows(*gator_rows(Path(args.out).resolve() / "gator", dict(load_manifest(test_out))))


if __name__ == "__main__":
    main()

"""The `conda` catalogue: a conda root whose every environment was made by the real conda CLI.

The other catalogues write prefixes with py-rattler, as conda would; this one runs conda itself (the CLI that
scripts/setup.sh installs from ../shared into .real-conda), from the project's own channels: the placeholder
channels and the live channel of a built `test` root. It is what the parity tests compare the extension with: for
every environment here, the extension's answer must equal conda's own.

Each environment is made the way people make them (create, install then remove, `--clone`, `rename`, a `-p` path
environment, `env create -f` with a pip section that pip really installs, `env update --prune`, a frozen one), and
the steps are recorded in the manifest so a failing comparison says how the environment came to be.

conda is pointed at this root only: HOME and CONDARC are the root's own, `root_prefix` makes the root conda's
base, and `channel_alias` makes `-c conda-forge` (and `defaults`) resolve to the local channels under their usual
names, as on a Miniconda install.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
_MARKER = ".conda_made"
FROZEN_MESSAGE = "Pinned for the paper's results; clone it to change anything."
# The variables of an activated shell or another install that would point conda elsewhere (the tests' own conda
# runs clear the same ones: tests/real_conda.py).
POINTING_ELSEWHERE = (
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "CONDA_SHLVL",
    "CONDA_ENVS_PATH",
    "CONDA_PKGS_DIRS",
    "CONDA_ROOT_PREFIX",
    "MAMBA_ROOT_PREFIX",
    "MAMBA_EXE",
    "CONDA_EXE",
    "CONDA_PYTHON_EXE",
    "CONDARC",
    "PIP_INDEX_URL",
)
Log = Callable[[str], None]


@dataclass
class MadeEnv:
    name: str  # conda's name for it ("" for a path environment, as `conda env list --json` says)
    prefix: str
    steps: list[str] = field(default_factory=list)  # the conda commands that made it, as run
    frozen: bool = False


@dataclass
class _World:
    out: Path
    conda: Path
    test_root: Path

    @property
    def root(self) -> Path:
        return self.out / "miniconda3"

    @property
    def home(self) -> Path:
        return self.out / "home"

    @property
    def condarc(self) -> Path:
        return self.home / ".condarc"

    @property
    def channels(self) -> Path:
        return self.test_root / "channels"

    @property
    def elsewhere(self) -> Path:
        return self.out / "elsewhere"

    @property
    def specs(self) -> Path:
        return self.out / "specs"

    def environ(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in POINTING_ELSEWHERE}
        env.update(HOME=str(self.home), CONDA_NUMBER_CHANNEL_NOTICES="0", CONDA_REPORT_ERRORS="false")
        env["PIP_NO_INDEX"] = "1"  # pip inside `env create` must not look for an index that is not reachable
        return env


def conda_version(conda: Path) -> str:
    done = subprocess.run([str(conda), "--version"], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip().removeprefix("conda ").strip()


def _digest(world: _World, version: str) -> str:
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    h.update(version.encode())
    h.update(str(world.out).encode())
    h.update(str(world.test_root).encode())  # its channels are named by their paths in every record
    for stamp in (world.channels / ".digest", world.channels / "live" / ".digest"):
        h.update(stamp.read_bytes() if stamp.is_file() else b"-")
    return h.hexdigest()[:16]


def _write_condarc(world: _World) -> None:
    base = world.channels.as_uri()
    world.condarc.write_text(
        "# Written by fixture_root.conda_made: conda sees only this root and the project's local channels.\n"
        f"root_prefix: {world.root}\n"
        f"envs_dirs:\n  - {world.root / 'envs'}\n"
        f"pkgs_dirs:\n  - {world.root / 'pkgs'}\n"
        f"channel_alias: {base}\n"
        f"default_channels:\n  - {base}/pkgs/main\n"
        "channels:\n  - defaults\n"
        "solver: rattler\n"
        "auto_update_conda: false\n"
        "notify_outdated_conda: false\n",
        encoding="utf-8",
    )


def _write_wrapper(world: _World) -> None:
    """`miniconda3/bin/conda`, as a Miniconda install has it: CONDA_EXE's grandparent is the root."""
    target = world.root / "bin" / "conda"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f'#!/bin/sh\nexec "{world.conda}" "$@"\n', encoding="utf-8")
    target.chmod(0o755)


class _Maker:
    def __init__(self, world: _World, log: Log) -> None:
        self.world = world
        self.log = log
        self.envs: dict[str, MadeEnv] = {}

    def conda(self, key: str, *args: str, extra_env: dict[str, str] | None = None) -> None:
        env = self.world.environ() | (extra_env or {})
        argv = [str(self.world.conda), *args]
        # The fixture builder runs conda itself: it is the tool whose results are being recorded.
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"conda {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        shown = " ".join(a.replace(str(self.world.out), "<root>") for a in args)
        self.envs[key].steps.append(f"conda {shown}")

    def named(self, key: str, name: str | None = None) -> MadeEnv:
        made = MadeEnv(name or key, str(self.world.root / "envs" / (name or key)))
        self.envs[key] = made
        return made

    def spec(self, file: str, text: str) -> str:
        self.world.specs.mkdir(parents=True, exist_ok=True)
        path = self.world.specs / file
        path.write_text(text, encoding="utf-8")
        return str(path)


def _make_envs(m: _Maker, wheel: Path) -> None:
    yes = "--yes"
    m.envs["base"] = MadeEnv("base", str(m.world.root))
    m.conda("base", "install", yes, "-n", "base", "-c", "live", "--override-channels", "python", "pip")

    m.named("plain")
    m.conda("plain", "create", yes, "-n", "plain", "python=3.10", "numpy", "requests")

    m.named("churn")
    m.conda("churn", "create", yes, "-n", "churn", "python=3.11")
    m.conda("churn", "install", yes, "-n", "churn", "numpy=1.26", "requests")
    m.conda("churn", "remove", yes, "-n", "churn", "requests")

    m.named("cloned")
    m.conda("cloned", "create", yes, "-n", "cloned", "--clone", "plain")

    m.named("renamed")  # its steps are those of `to_rename`, then the rename
    m.conda("renamed", "create", yes, "-n", "to_rename", "python=3.10", "numpy=1.26")
    m.conda("renamed", "rename", "-n", "to_rename", "renamed")

    path_env = m.world.elsewhere / "path_env"
    m.envs["path_env"] = MadeEnv("", str(path_env))
    m.conda("path_env", "create", yes, "-p", str(path_env), "python=3.11", "numpy")

    m.named("gpu")
    m.conda(
        "gpu",
        "create",
        yes,
        "-n",
        "gpu",
        "-c",
        "pytorch",
        "-c",
        "nvidia",
        "python=3.10",
        "pytorch=2.1.0",
        "pytorch-cuda=11.8",
        extra_env={"CONDA_OVERRIDE_CUDA": "11.8"},
    )

    m.named("pip_env")
    yml = m.spec(
        "pip_env.yml",
        "name: pip_env\nchannels:\n  - live\ndependencies:\n  - python\n  - pip\n"
        f"  - pip:\n    - --no-index\n    - {wheel}\n",
    )
    m.conda("pip_env", "env", "create", yes, "-f", yml)

    m.named("pruned")
    first = m.spec("pruned.yml", "name: pruned\ndependencies:\n  - python=3.10\n  - numpy\n  - requests\n")
    m.conda("pruned", "env", "create", yes, "-f", first)
    second = m.spec("pruned-update.yml", "name: pruned\ndependencies:\n  - python=3.10\n  - numpy\n")
    m.conda("pruned", "env", "update", "-n", "pruned", "-f", second, "--prune")

    made = m.named("frozen")
    m.conda("frozen", "create", yes, "-n", "frozen", "python=3.11", "requests")
    (Path(made.prefix) / "conda-meta" / "frozen").write_text(json.dumps({"message": FROZEN_MESSAGE}))
    made.frozen = True
    made.steps.append("write conda-meta/frozen {message}")


def build_conda_root(
    out: Path, conda: Path, test_root: Path, *, reuse: bool = True, log: Log | None = None
) -> dict[str, Any]:
    """Make (or with `reuse`, keep) the conda-made root in `out` from a built `test` root's channels."""
    say: Log = log or (lambda _msg: None)
    out = out.resolve()
    world = _World(out, conda.resolve() if conda.is_symlink() else conda.absolute(), test_root.resolve())
    if not (world.channels / "live").is_dir():
        raise RuntimeError(f"{test_root} has no built channels: build the test catalogue first")
    version = conda_version(world.conda)
    digest = _digest(world, version)
    manifest_file = out / MANIFEST
    if reuse and manifest_file.is_file():
        existing: dict[str, Any] = json.loads(manifest_file.read_text(encoding="utf-8"))
        if existing.get("digest") == digest:
            say(f"{out}: up to date, reused")
            return existing
    if out.exists() and any(out.iterdir()) and not (out / _MARKER).exists():
        raise RuntimeError(f"{out} is not empty and was not made by fixture_root; refusing to delete it")
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    world.home.mkdir(parents=True)
    (out / _MARKER).write_text("made by fixture_root.conda_made; rebuilt from scratch on the next build\n")
    (world.root / "conda-meta").mkdir(parents=True)
    (world.root / "conda-meta" / "history").touch()  # conda installs into a base only where one exists
    world.elsewhere.mkdir()
    _write_condarc(world)
    _write_wrapper(world)
    wheel = next((test_root / "wheels").glob("mdurl-*.whl"))
    maker = _Maker(world, say)
    _make_envs(maker, wheel.resolve())
    manifest: dict[str, Any] = {
        "digest": digest,
        "conda_version": version,
        "build_seconds": round(time.monotonic() - started, 1),
        "paths": {
            "out": str(out),
            "root": str(world.root),
            "home": str(world.home),
            "condarc": str(world.condarc),
            "envs_dir": str(world.root / "envs"),
            "channels": str(world.channels),
            "conda": str(world.conda),
        },
        # For a consumer (the extension's server): CONDA_EXE names the root, HOME its environments.txt/.condarc.
        "env": {"HOME": str(world.home), "CONDA_EXE": str(world.root / "bin" / "conda")},
        "envs": [vars(e) for e in maker.envs.values()],
    }
    manifest_file.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    say(f"{out}: {len(maker.envs)} environments made by conda {version} in {manifest['build_seconds']}s")
    return manifest

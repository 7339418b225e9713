"""The declarative shapes a catalogue is written in: conda packages a channel holds, pip wheels, environments.

Everything here is plain frozen data so that a catalogue can be hashed (for `--reuse`) and diffed by eye.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# What a conda package carries besides its metadata. Real records differ a lot in size (the `python` record lists
# thousands of files, mutex packages none), and the extension must cope with both, so the payload is explicit.
Payload = Literal["none", "interpreter", "python-package", "library"]

# Where an environment lives decides how conda (and the extension) finds and names it.
Location = Literal["base", "envs", "team", "outside", "project"]
Kind = Literal["base", "named", "path", "project"]
# The tool whose on-disk traces a prefix carries: conda writes a `# cmd:` history, pixi a one-line placeholder.
Manager = Literal["conda", "pixi"]


@dataclass(frozen=True)
class CondaPackage:
    """One conda package as its channel's repodata describes it."""

    channel: str  # canonical channel name as conda prints it: "conda-forge", "pytorch", "nvidia", "pkgs/main"
    name: str
    version: str
    build: str
    subdir: Literal["linux-64", "noarch"] = "linux-64"
    depends: tuple[str, ...] = ()
    constrains: tuple[str, ...] = ()
    noarch: Literal["python", "generic"] | None = None
    payload: Payload = "none"
    # For python packages: the X.Y whose site-packages an arch-specific build installs into (None for noarch).
    python: str | None = None
    module: str | None = None  # import name; "six.py" for a single-module distribution
    dist_name: str | None = None  # the PyPI project name in dist-info METADATA (defaults to `name`)
    # Extra text files, relative to site-packages for python packages and to the prefix otherwise.
    extra_files: tuple[tuple[str, str], ...] = ()
    interpreter_files: int = 0  # for the `python` package: how many stdlib files to lay out
    summary: str = ""
    license: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.channel, self.subdir, self.name, self.version, self.build)

    @property
    def dist(self) -> str:
        return f"{self.name}-{self.version}-{self.build}"

    @property
    def build_number(self) -> int:
        # conda convention: the build number is the build string's last `_`-separated field.
        tail = self.build.rsplit("_", 1)[-1]
        return int(tail) if tail.isdigit() else 0


@dataclass(frozen=True)
class Wheel:
    """A pip distribution, built as a metadata-only wheel (plus a one-file module)."""

    name: str
    version: str
    requires_dist: tuple[str, ...] = ()
    requires_python: str = ">=3.8"
    summary: str = ""
    module: str | None = None  # import name; defaults to the normalized project name


@dataclass(frozen=True)
class Conflict:
    """A conflict the extension is expected to report: a pip install shadowing a conda package of the same name."""

    name: str
    conda_version: str
    pip_version: str


@dataclass(frozen=True)
class EnvSpec:
    """One environment: where it lives, what conda solved into it, what pip put on top, and what must be true."""

    name: str
    location: Location
    channels: tuple[str, ...]  # canonical names, highest priority first, as `conda create -c ... -c ...`
    specs: tuple[str, ...]  # match specs handed to the solver and written to history as the user's request
    python: str | None  # the python version the solve must produce (checked after solving)
    pip: tuple[tuple[str, str], ...] = ()  # (name, version) wheels installed with `pip install --target`
    conflicts: tuple[Conflict, ...] = ()
    runnable: bool = False  # a real interpreter (venv) with ipykernel
    # For runnable envs: also `ipykernel install` a kernelspec into the fixture's Jupyter path. Off for an env whose
    # kernel only a KernelSpecManager provides.
    register_kernel: bool = True
    manager: Manager = "conda"
    corrupt_record: str | None = None  # package whose conda-meta record is truncated after install
    rel_path: str | None = None  # for "outside"/"project": the prefix relative to the fixture dir
    history_date: str = "2024-01-15 10:00:00"
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """Everything one fixture root is built from."""

    name: str
    packages: tuple[CondaPackage, ...]
    wheels: tuple[Wheel, ...]
    envs: tuple[EnvSpec, ...]
    virtual_packages: tuple[tuple[str, str, str], ...] = field(default=())  # (name, version, build) for the solver
    condarc_channels: tuple[str, ...] = ("defaults",)
    # The named env a project's environment.yml points at (None: no project folder is laid out).
    project_yml_env: str | None = None
    # The env projects/runnable_project/environment.yml names; its nested notebook uses another kernel.
    runnable_project_env: str | None = None
    # The `name:` of projects/ghost_project/environment.yaml, which no environment has.
    ghost_project_env: str | None = None
    # Also build channels/live: the host's interpreter and ipykernel as conda packages, for environments the
    # extension itself creates and whose kernels must really run (see live_channel.py). No fixture env uses it.
    live_channel: bool = False

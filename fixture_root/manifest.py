"""manifest.json: what a fixture dir holds and what must be true of it, for tests, the demo and the benchmark.

Plain JSON (TypedDicts here) so that Python, the Galata TypeScript tests and shell scripts read the same file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

SCHEMA_VERSION = 2
MANIFEST_NAME = "manifest.json"


class CondaEntry(TypedDict):
    name: str
    version: str
    build: str
    channel: str  # canonical name ("pytorch", "pkgs/main"); the record itself holds the upstream URL
    subdir: str
    record: str  # prefix-relative path of the conda-meta file


class PipEntry(TypedDict):
    name: str
    version: str
    editable: bool


class ConflictEntry(TypedDict):
    name: str
    conda_version: str
    pip_version: str


class KernelEntry(TypedDict):
    name: str
    display_name: str
    spec_dir: str


class EnvEntry(TypedDict):
    name: str
    prefix: str
    kind: str  # base | named | path | project: how the extension must classify it
    location: str  # base | envs | team | outside | project: where the fixture put it
    manager: str  # conda | pixi: the tool whose traces the prefix carries (pixi: no `# cmd:` history)
    python_version: str | None
    channels: list[str]
    requested_specs: list[str]
    conda_packages: list[CondaEntry]
    pip_packages: list[PipEntry]  # dist-infos with INSTALLER pip, as found on disk after the build
    conflicts: list[ConflictEntry]
    has_ipykernel: bool
    runnable: bool
    kernel: KernelEntry | None  # a kernelspec registered under paths.jupyter_path for this env
    activate_scripts: list[str]  # prefix-relative files in etc/conda/activate.d, in the order conda runs them
    # What sourcing those scripts in sh (CONDA_PREFIX set, as conda activate does) sets or changes.
    activate_exports: dict[str, str]
    in_environments_txt: bool
    corrupt_records: list[str]
    notes: list[str]


class ChannelEntry(TypedDict):
    name: str
    url: str  # the upstream URL the installed records carry
    dir: str  # the local folder that served it


class LivePackageEntry(TypedDict):
    """A package of the live channel (`paths.live_channel`): the host's python or an installed distribution."""

    name: str
    version: str
    build: str
    subdir: str


class Manifest(TypedDict):
    schema_version: int
    catalogue: str
    catalogue_hash: str
    fixture_dir: str
    build_seconds: float
    paths: dict[str, str]
    channels: list[ChannelEntry]
    virtual_packages: list[str]
    env: dict[str, str | None]  # variables a consumer sets; None means "make sure it is unset"
    environments_txt: list[str]
    envs: list[EnvEntry]
    live_packages: list[LivePackageEntry]  # empty when the catalogue builds no live channel


def manifest_path(out: Path | str) -> Path:
    return Path(out) / MANIFEST_NAME


def load_manifest(out: Path | str) -> Manifest:
    """The manifest of the fixture dir `out` (built by `build_root`)."""
    data: Manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    return data


def write_manifest(out: Path, manifest: Manifest) -> None:
    # Written last and atomically: its presence is what `--reuse` takes as "this dir is complete".
    tmp = manifest_path(out).with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(manifest_path(out))


def environ(manifest: Manifest, base: dict[str, str]) -> dict[str, str]:
    """`base` with the manifest's variables applied (None/empty values removed)."""
    out = dict(base)
    for key, value in manifest["env"].items():
        if value:
            out[key] = value
        else:
            out.pop(key, None)
    return out

"""Solves and installs the conda side of each environment with rattler, then adds what conda itself would add.

rattler writes `conda-meta/<name>-<version>-<build>.json` for every package and an empty `conda-meta/history`;
conda fills that history with a `# cmd:` line and `+channel/subdir::dist` lines, which readers (and exports
`--from-history`) rely on, so this module appends exactly that block after the install.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import rattler
from rattler.networking import Client

from .channel import channel_from_url, upstream_url
from .model import EnvSpec


def virtual_packages(spec: tuple[tuple[str, str, str], ...]) -> list[rattler.GenericVirtualPackage]:
    return [
        rattler.GenericVirtualPackage(rattler.PackageName(n), rattler.Version(v), rattler.BuildString(b))
        for n, v, b in spec
    ]


async def solve(
    env: EnvSpec, gateway: rattler.Gateway, virtuals: list[rattler.GenericVirtualPackage]
) -> list[rattler.RepoDataRecord]:
    channels = [rattler.Channel(upstream_url(c)) for c in env.channels]
    records = await rattler.solve(
        channels,
        # Parsed leniently here, as conda reads a command line; solve() alone would parse `=ver=build` strictly.
        [rattler.MatchSpec(s) for s in env.specs],
        gateway=gateway,
        platforms=["linux-64", "noarch"],
        virtual_packages=virtuals,
    )
    python = [str(r.version) for r in records if r.name.normalized == "python"]
    if env.python and python != [env.python]:
        raise RuntimeError(f"{env.name}: solved python {python}, catalogue wants {env.python}")
    return sorted(records, key=lambda r: r.name.normalized)


async def install(
    records: list[rattler.RepoDataRecord], prefix: Path, env: EnvSpec, cache_dir: Path, client: Client
) -> None:
    # py-rattler 0.28 hands `requested_specs` to the native layer without unwrapping the Python MatchSpec
    # objects ("'MatchSpec' object is not an instance of 'PyMatchSpec'"), so pass the native objects.
    requested: Any = [rattler.MatchSpec(s)._match_spec for s in env.specs]
    await rattler.install(
        records,
        target_prefix=prefix,
        cache_dir=cache_dir,
        client=client,
        execute_link_scripts=False,
        show_progress=False,
        requested_specs=cast("list[rattler.MatchSpec]", requested),
    )


def dist(record: rattler.RepoDataRecord) -> str:
    return f"{record.name.source}-{record.version}-{record.build}"


def history_block(env: EnvSpec, records: list[rattler.RepoDataRecord], prefix: Path, conda_exe: Path) -> str:
    """The entry `conda create` appends to `conda-meta/history` (conda/history.py format)."""
    # `defaults` (pkgs/main) is implied last; only a command that ranks it above another channel names it.
    named = list(env.channels[:-1] if env.channels[-1:] == ("pkgs/main",) else env.channels)
    channels = " ".join(f"-c {'defaults' if c == 'pkgs/main' else c}" for c in named)
    if env.location == "base":
        target = "install -n base"
    elif env.location in ("envs", "team"):
        target = f"create -n {env.name}"
    else:
        target = f"create -p {prefix}"
    cmd = " ".join(p for p in (str(conda_exe), target, channels, *env.specs) if p)
    dists = sorted(f"+{channel_from_url(str(r.channel))}/{r.subdir}::{dist(r)}" for r in records)
    specs = repr(list(env.specs))
    return "\n".join(
        [
            f"==> {env.history_date} <==",
            f"# cmd: {cmd}",
            "# conda version: 24.1.2",
            *dists,
            f"# update specs: {specs}",
            "",
        ]
    )


def append_history(prefix: Path, block: str) -> None:
    with open(prefix / "conda-meta" / "history", "a", encoding="utf-8") as f:
        f.write(block)


def pixi_traces(prefix: Path, manifest: Path, environment: str) -> None:
    """What pixi leaves in a prefix it installed instead of conda's history: a one-line placeholder history (kept
    only so that `conda run -p` accepts the prefix) and `conda-meta/pixi`, naming the workspace it belongs to."""
    meta = prefix / "conda-meta"
    (meta / "history").write_text("// not relevant for pixi but for `conda run -p`", encoding="utf-8")
    info = {"manifest_path": str(manifest), "environment_name": environment, "pixi_version": "0.41.4"}
    (meta / "pixi").write_text(json.dumps(info, indent=2), encoding="utf-8")


def corrupt(prefix: Path, package: str) -> str:
    """Truncate one installed record mid-JSON, as a crash during a write would; returns its prefix-relative path."""
    (path,) = [
        p for p in (prefix / "conda-meta").glob(f"{package}-*.json") if p.name.count("-") == package.count("-") + 2
    ]
    data = path.read_bytes()
    # rattler writes records fresh (they are not hardlinked from the package cache), so truncating is safe.
    path.write_bytes(data[: len(data) // 2])
    return f"conda-meta/{path.name}"

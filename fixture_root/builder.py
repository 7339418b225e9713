"""`build_root`: a catalogue in, a complete conda root with its manifest out.

Order matters: channels and wheels first, then every conda install (through the loopback mirror), then pip on
top, then the user-level files that point at the prefixes, and the manifest last, so that a dir with a manifest
is a complete one. Rebuilding keeps the channels and package cache when the packages did not change.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import hashlib
import json
import shutil
import sys
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Callable, TypeVar

import rattler

from . import activation, conda_install, layout, live_channel, pip_install
from .catalogues import catalogue as catalogue_by_name
from .channel import build_channels, channel_dir, channel_from_url, upstream_url
from .manifest import (
    SCHEMA_VERSION,
    ChannelEntry,
    CondaEntry,
    EnvEntry,
    KernelEntry,
    LivePackageEntry,
    Manifest,
    load_manifest,
    manifest_path,
    write_manifest,
)
from .mirror import serve_channels
from .model import Catalogue, EnvSpec
from .wheels import build_wheels

_MARKER = ".fixture_root"  # a dir holding this (or a manifest) is ours to wipe
_KEEP = ("channels", "pkgs")  # reused across rebuilds while the channel digest is unchanged
_INSTALL_CONCURRENCY = 3
T = TypeVar("T")
Log = Callable[[str], None]


# Code that does not shape the catalogues built here: the command line, and the root real conda makes.
_NOT_CATALOGUE_CODE = frozenset({"__main__.py", "conda_made.py"})


def _sources_digest(names: tuple[str, ...] | None = None) -> str:
    """The builder's own code is part of what a fixture dir was built from (all of it, or only `names`)."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*")):
        if path.name in _NOT_CATALOGUE_CODE:
            continue
        if path.suffix in (".py", ".txt") and (names is None or path.name in names):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def catalogue_hash(cat: Catalogue, out: Path) -> str:
    # Absolute paths are baked into records, kernelspecs and environments.txt, so the location is part of it.
    # The live channel is not: it follows the venv's ipykernel and pip (upgraded by every setup) with a stamp of its
    # own, rebuilt alone by `_live_phase` on every build, the reused ones included.
    return _digest(SCHEMA_VERSION, dataclasses.asdict(cat), str(out), sys.version, _sources_digest())


def _channel_digest(cat: Catalogue) -> str:
    # Only the code that turns package declarations into archives invalidates the channels.
    code = _sources_digest(("channel.py", "content.py", "model.py"))
    return _digest(SCHEMA_VERSION, [dataclasses.asdict(p) for p in cat.packages], code)


def _run_async(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, also from inside a running loop (an async test), by using a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(coro))
        except BaseException as err:  # re-raised in the caller's thread
            errors.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


def _prepare(out: Path, channel_digest: str, log: Log) -> bool:
    """Empty `out` for a clean build; returns True when the existing channels and package cache are reusable."""
    if out.exists() and any(out.iterdir()) and not (out / _MARKER).exists() and not manifest_path(out).exists():
        raise RuntimeError(f"{out} is not empty and was not made by fixture_root; refusing to delete its contents")
    out.mkdir(parents=True, exist_ok=True)
    stamp = out / "channels" / ".digest"
    reuse = stamp.is_file() and stamp.read_text() == channel_digest
    for entry in out.iterdir():
        if reuse and entry.name in _KEEP:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    (out / _MARKER).write_text("made by fixture_root; rebuilt from scratch on the next build\n")
    log("reusing channels and package cache" if reuse else "building from scratch")
    return reuse


async def _conda_phase(cat: Catalogue, lay: layout.Layout, log: Log) -> dict[str, list[rattler.RepoDataRecord]]:
    channels = sorted({c for e in cat.envs for c in e.channels})
    solved: dict[str, list[rattler.RepoDataRecord]] = {}
    with serve_channels(lay.channels, channels) as client:
        gateway = rattler.Gateway(cache_dir=lay.cache / "repodata", client=client)
        virtuals = conda_install.virtual_packages(cat.virtual_packages)
        for env in cat.envs:
            solved[env.name] = await conda_install.solve(env, gateway, virtuals)
        log(f"solved {len(solved)} environments")
        limit = asyncio.Semaphore(_INSTALL_CONCURRENCY)

        async def one(env: EnvSpec) -> None:
            async with limit:
                await conda_install.install(solved[env.name], lay.prefix(env), env, lay.pkgs, client)

        # The base prefix contains envs/, so it goes first; the rest are independent.
        for env in cat.envs:
            if env.location == "base":
                await one(env)
        await asyncio.gather(*(one(e) for e in cat.envs if e.location != "base"))
    conda_exe = lay.root / "bin" / "conda"
    for env in cat.envs:
        if env.manager == "pixi":
            conda_install.pixi_traces(lay.prefix(env), layout.pixi_manifest(lay, env), lay.prefix(env).name)
            continue
        block = conda_install.history_block(env, solved[env.name], lay.prefix(env), conda_exe)
        conda_install.append_history(lay.prefix(env), block)
    return solved


def _pip_phase(cat: Catalogue, lay: layout.Layout, log: Log) -> None:
    def pip_targets() -> None:
        for env in cat.envs:
            if env.pip and not env.runnable:
                site = pip_install.site_packages(lay.prefix(env), env.python or "")
                pip_install.pip_target_install(site, lay.wheels, [f"{n}=={v}" for n, v in env.pip])

    runnable = [e for e in cat.envs if e.runnable]
    # One editable project for all runnable envs; pip's cache makes the second ipykernel install cheap.
    project = pip_install.write_editable_project(lay.src) if runnable else None
    editable_lock = threading.Lock()

    def make_runnable(env: EnvSpec) -> None:
        assert project is not None
        kernel = _kernel_names(env) if env.register_kernel else None
        prefix = lay.prefix(env)
        pip_install.make_runnable(prefix, env.python or "", project, lay.jupyter_prefix, kernel, editable_lock)
        log(f"{env.name}: venv and ipykernel ready" + (", kernelspec registered" if kernel else ""))

    # Runnable envs' pip installs may wait on the network; the local --target installs need not wait for them.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1 + len(runnable)) as pool:
        futures = [pool.submit(pip_targets), *(pool.submit(make_runnable, e) for e in runnable)]
        for future in futures:
            future.result()


def _live_phase(cat: Catalogue, lay: layout.Layout, log: Log) -> bool:
    """Build (or keep) the live channel; True when it was (re)built. After the other channels: building them from
    scratch wipes channels/, live/ included."""
    folder = live_channel.live_dir(lay.channels)
    if not cat.live_channel:
        shutil.rmtree(folder, ignore_errors=True)
        return False
    started = time.monotonic()
    count = _run_async(live_channel.build_live_channel(lay.channels, lay.stage))
    shutil.rmtree(lay.stage, ignore_errors=True)
    took = time.monotonic() - started
    log(f"live channel: built {count} packages ({took:.1f}s)" if count else "live channel: unchanged, reused")
    return count is not None


def _live_packages(cat: Catalogue) -> list[LivePackageEntry]:
    if not cat.live_channel:
        return []
    return [
        {"name": name, "version": version, "build": live_channel.BUILD, "subdir": live_channel.SUBDIR}
        for name, version in live_channel.package_versions()
    ]


def _kernel_names(env: EnvSpec) -> tuple[str, str]:
    # nb_conda_kernels' naming, which the extension follows.
    if env.location == "base":
        return "conda-base-py", "Python [conda env:base]"
    return f"conda-env-{env.name}-py", f"Python [conda env:{env.name}]"


def _env_entry(
    env: EnvSpec, records: list[rattler.RepoDataRecord], lay: layout.Layout, corrupt: list[str], listed: set[str]
) -> EnvEntry:
    prefix = lay.prefix(env)
    site = pip_install.site_packages(prefix, env.python or "0.0")
    pips = pip_install.pip_dists(site) if site.is_dir() else []
    conda: list[CondaEntry] = [
        {
            "name": r.name.source,
            "version": str(r.version),
            "build": str(r.build),
            "channel": channel_from_url(str(r.channel)),
            "subdir": r.subdir,
            "record": f"conda-meta/{conda_install.dist(r)}.json",
        }
        for r in records
    ]
    kernel: KernelEntry | None = None
    if env.runnable and env.register_kernel:
        name, display = _kernel_names(env)
        kernel = {"name": name, "display_name": display, "spec_dir": str(lay.jupyter_path / "kernels" / name)}
    names = {r.name.normalized for r in records} | {n.lower() for n, _, _ in pips}
    scripts = activation.activate_scripts(prefix)
    notes = list(env.notes) + [f"corrupt record: {c}" for c in corrupt]
    return {
        "name": env.name,
        "prefix": str(prefix),
        "kind": layout.kind(env),
        "location": env.location,
        "manager": env.manager,
        "python_version": env.python,
        "channels": list(env.channels),
        "requested_specs": list(env.specs),
        "conda_packages": conda,
        "pip_packages": [{"name": n, "version": v, "editable": e} for n, v, e in pips],
        "conflicts": [
            {"name": c.name, "conda_version": c.conda_version, "pip_version": c.pip_version} for c in env.conflicts
        ],
        "has_ipykernel": "ipykernel" in names,
        "runnable": env.runnable,
        "kernel": kernel,
        "activate_scripts": scripts,
        "activate_exports": activation.activate_exports(prefix, scripts),
        "in_environments_txt": str(prefix) in listed,
        "corrupt_records": corrupt,
        "notes": notes,
    }


def build_root(catalogue: str, out: Path | str, *, reuse: bool = False, log: Log | None = None) -> Manifest:
    """Build catalogue `catalogue` ("test", "demo" or "bench") into `out` and return its manifest.

    With `reuse`, an `out` whose manifest was built from the same catalogue, code and location is kept as is.
    """
    say: Log = log or (lambda _msg: None)
    started = time.monotonic()
    cat = catalogue_by_name(catalogue)
    out = Path(out).resolve()
    digest = catalogue_hash(cat, out)
    if reuse and manifest_path(out).is_file():
        try:
            existing = load_manifest(out)
        except (OSError, ValueError):
            existing = None
        if existing is not None and existing.get("catalogue_hash") == digest:
            if _live_phase(cat, layout.Layout(out), say):
                existing["live_packages"] = _live_packages(cat)
                write_manifest(out, existing)
            say(f"{out}: up to date, reused")
            return existing
    lay = layout.Layout(out)
    channel_digest = _channel_digest(cat)
    if not _prepare(out, channel_digest, say):
        shutil.rmtree(lay.channels, ignore_errors=True)
        shutil.rmtree(lay.pkgs, ignore_errors=True)
        count = _run_async(build_channels(cat.packages, lay.channels, lay.stage))
        (lay.channels / ".digest").write_text(channel_digest)
        say(f"built {count} conda packages ({time.monotonic() - started:.1f}s)")
    _live_phase(cat, lay, say)
    shutil.rmtree(lay.stage, ignore_errors=True)
    build_wheels(cat.wheels, lay.wheels)
    layout.make_base_dirs(lay)
    solved = _run_async(_conda_phase(cat, lay, say))
    say(f"installed {sum(len(r) for r in solved.values())} conda packages ({time.monotonic() - started:.1f}s)")
    _pip_phase(cat, lay, say)
    corrupt: dict[str, list[str]] = {e.name: [] for e in cat.envs}
    for env in cat.envs:
        if env.corrupt_record:
            corrupt[env.name].append(conda_install.corrupt(lay.prefix(env), env.corrupt_record))
    layout.write_condarc(lay, cat.condarc_channels)
    symlink_target = next((lay.prefix(e) for e in cat.envs if e.location == "envs"), None)
    listed = layout.write_environments_txt(lay, list(cat.envs), symlink_target)
    if cat.project_yml_env:
        target = next(e for e in cat.envs if e.name == cat.project_yml_env)
        layout.write_project(lay, target, list(target.pip))
    if cat.runnable_project_env:
        layout.write_runnable_project(lay, next(e for e in cat.envs if e.name == cat.runnable_project_env))
    if cat.ghost_project_env:
        layout.write_ghost_project(lay, cat.ghost_project_env)
    for env in cat.envs:
        if env.manager == "pixi":
            layout.write_pixi_project(lay, env)
    manifest = _manifest(cat, lay, digest, solved, corrupt, listed, time.monotonic() - started)
    write_manifest(out, manifest)
    shutil.rmtree(lay.cache, ignore_errors=True)
    say(f"{out}: {len(cat.envs)} environments in {manifest['build_seconds']:.1f}s")
    return manifest


def _manifest(
    cat: Catalogue,
    lay: layout.Layout,
    digest: str,
    solved: dict[str, list[rattler.RepoDataRecord]],
    corrupt: dict[str, list[str]],
    listed: list[str],
    seconds: float,
) -> Manifest:
    channels: list[ChannelEntry] = [
        {"name": c, "url": upstream_url(c), "dir": str(channel_dir(lay.channels, c))}
        for c in sorted({p.channel for p in cat.packages})
    ]
    listed_set = set(listed)
    envs = [_env_entry(e, solved[e.name], lay, corrupt[e.name], listed_set) for e in cat.envs]
    symlink = str(lay.symlink_path) if lay.symlink_path.is_symlink() else ""
    pixi = next((e for e in cat.envs if e.manager == "pixi"), None)
    pixi_dir = layout.pixi_project_dir(lay, pixi) if pixi else None
    paths = {
        "fixture_dir": str(lay.fixture_dir),
        "root": str(lay.root),  # the conda root prefix (base), as CONDA_EXE's grandparent
        "envs_dir": str(lay.root / "envs"),
        "home": str(lay.home),
        "condarc": str(lay.condarc),
        "environments_txt": str(lay.environments_txt),
        "team_envs_dir": str(lay.team_envs),
        "projects": str(lay.projects),
        "project_dir": str(lay.project_dir),
        "environment_yml": str(lay.project_dir / "environment.yml") if cat.project_yml_env else "",
        "runnable_project_dir": str(lay.runnable_project_dir) if cat.runnable_project_env else "",
        "runnable_project_notebook": str(layout.runnable_project_notebook(lay)) if cat.runnable_project_env else "",
        "ghost_project_dir": str(lay.ghost_project_dir) if cat.ghost_project_env else "",
        "pixi_project_dir": str(pixi_dir) if pixi_dir else "",
        "pixi_project_notebook": str(pixi_dir / "analysis.ipynb") if pixi_dir else "",
        "jupyter_prefix": str(lay.jupyter_prefix),
        "jupyter_path": str(lay.jupyter_path),
        "deleted_path": str(lay.deleted_path),
        "non_env_path": str(lay.non_env_path),
        "symlink_path": symlink,
        "symlink_target": str(Path(symlink).resolve()) if symlink else "",
        "channels": str(lay.channels),
        "pkgs": str(lay.pkgs),
        "wheels": str(lay.wheels),
        "editable_project": str(lay.src / "glm_utils") if any(e.runnable for e in cat.envs) else "",
        "live_channel": str(live_channel.live_dir(lay.channels)) if cat.live_channel else "",
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "catalogue": cat.name,
        "catalogue_hash": digest,
        "fixture_dir": str(lay.fixture_dir),
        "build_seconds": round(seconds, 2),
        "paths": paths,
        "channels": channels,
        "virtual_packages": [f"{n}={v}={b}" for n, v, b in cat.virtual_packages],
        "env": {
            "HOME": str(lay.home),
            "CONDARC": str(lay.condarc),
            "CONDA_EXE": str(lay.root / "bin" / "conda"),  # the path conda would have; no conda CLI exists here
            "CONDA_ENVS_PATH": None,
            "CONDA_PREFIX": None,
            "CONDA_PKGS_DIRS": str(lay.pkgs),
            "MAMBA_EXE": None,
            "MAMBA_ROOT_PREFIX": None,
            "JUPYTER_PATH": str(lay.jupyter_path),
        },
        "environments_txt": listed,
        "envs": envs,
        "live_packages": _live_packages(cat),
    }

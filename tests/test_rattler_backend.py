"""The py-rattler backend, for real: solved and installed from the fixture's local channels, pip from its wheels.

The fixture's conda `python` packages are placeholders (their `bin/python` prints a line and exits 127), so the pip
step fails in an environment made from them as it is. Where a test needs pip to run, `Runnable` turns the new
prefix into what the fixture's `runnable` environment is, a venv over the conda records with a real pip, at the
moment the backend announces the pip step; solving, installing, the history and the pip run stay the backend's own.
"""

from __future__ import annotations

import asyncio
import ensurepip
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import rattler

from fixture_root.catalogue import HOST_PYTHON
from jupyterlab_conda_envs.core import process
from jupyterlab_conda_envs.create.builtin.backend import (
    RattlerCreateError,
    RattlerEvent,
    create_with_rattler,
    rattler_available,
)
from jupyterlab_conda_envs.create.builtin.channels import channel_urls, history_channel
from jupyterlab_conda_envs.environments.inventory import Inventory
from jupyterlab_conda_envs.export.history_specs import requested_specs

from .conftest import alive

PYTHON = f"python=={HOST_PYTHON}"
# Placeholders in the fixture, so no test depends on what this machine would detect.
VIRTUALS = [("__linux", "5.15.0", "0"), ("__glibc", "2.35", "0"), ("__unix", "0", "0"), ("__archspec", "1", "x86_64")]


@pytest.fixture(scope="session")
def channels(conda_root: dict[str, Any]) -> dict[str, str]:
    """Channel name → `file://` URL of its folder in the fixture."""
    return {c["name"]: Path(c["dir"]).as_uri() for c in conda_root["channels"]}


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("rattler-cache"))


def create(
    prefix: Path,
    channels: Sequence[str],
    specs: Sequence[str],
    pip: Sequence[str] = (),
    *,
    cache_dir: str,
    on_event: Callable[[RattlerEvent, asyncio.Task[Any]], None] | None = None,
    pip_env: Mapping[str, str] | None = None,
    events: list[RattlerEvent] | None = None,
) -> list[RattlerEvent]:
    """Run `create_with_rattler` on a fresh event loop; the events it sent (also into `events`, kept when it
    raises)."""
    seen: list[RattlerEvent] = [] if events is None else events

    async def main() -> None:
        task = asyncio.current_task()
        assert task is not None

        def record(event: RattlerEvent) -> None:
            seen.append(event)
            if on_event is not None:
                on_event(event, task)

        await create_with_rattler(
            str(prefix),
            channels,
            specs,
            pip,
            on_event=record,
            cache_dir=cache_dir,
            virtual_packages=VIRTUALS,
            pip_env=pip_env,
        )

    asyncio.run(asyncio.wait_for(main(), 120))
    return seen


def site_packages(prefix: Path) -> Path:
    return prefix / "lib" / f"python{'.'.join(HOST_PYTHON.split('.')[:2])}" / "site-packages"


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that contain `text` (a unique prefix path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(cmdline)
    return found


def children() -> set[int]:
    """Live child processes of this test process."""
    pids = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[1]) == os.getpid():
            pids.add(int(entry.name))
    return pids


class Runnable:
    """on_event hook: when the pip step is announced, make the prefix's Python real (see the module docstring)."""

    def __init__(self, prefix: Path, then: Callable[[RattlerEvent, asyncio.Task[Any]], None] | None = None) -> None:
        self.prefix = prefix
        self.then = then
        self.done = False

    def __call__(self, event: RattlerEvent, task: asyncio.Task[Any]) -> None:
        if event.phase == "pip" and not self.done:
            self.done = True
            make_runnable(self.prefix)
        if self.then is not None:
            self.then(event, task)


def bundled_pip() -> Path:
    bundled = Path(ensurepip.__file__).parent / "_bundled"
    if not list(bundled.glob("pip-*.whl")):
        pytest.skip("this Python has no bundled pip wheel")
    return bundled


def make_runnable(prefix: Path) -> None:
    xy = ".".join(HOST_PYTHON.split(".")[:2])
    for name in ("python", "python3", f"python{xy}"):
        (prefix / "bin" / name).unlink(missing_ok=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(prefix)], check=True)
    # conda's `pip` record here is a placeholder without RECORD, so pip is put over it rather than upgrading it.
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(prefix / "bin" / "python"), "install", "--quiet"),
            *("--ignore-installed", "--no-deps", "--no-index", "--find-links", str(bundled_pip()), "pip"),
        ],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


def assert_gone(prefix: Path, top: Path) -> None:
    assert not os.path.lexists(prefix)
    assert not os.path.lexists(top), "parent folders made by the create must go too"
    assert processes_mentioning(str(prefix)) == []


# --- success ---------------------------------------------------------------------------------------------------


def test_creates_an_environment_the_extension_reads(
    channels: dict[str, str], cache_dir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server's working directory (a notebook folder) is no import path for the backend's child process.
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for module in ("json", "rattler", "asyncio"):
        (notebooks / f"{module}.py").write_text("raise SystemExit('imported from the working directory')\n")
    monkeypatch.chdir(notebooks)
    prefix = tmp_path / "envs" / "fresh"
    events = create(prefix, [channels["pkgs/main"]], [PYTHON, "pip"], cache_dir=cache_dir)

    records = {}
    for path in sorted((prefix / "conda-meta").glob("*.json")):
        record = rattler.PrefixRecord.from_path(path)
        records[record.name.normalized] = record
    assert {"python", "pip", "setuptools", "wheel", "openssl"} <= set(records)
    assert str(records["python"].version) == HOST_PYTHON
    assert records["python"].requested_specs == [f"python =={HOST_PYTHON}"]

    history = (prefix / "conda-meta" / "history").read_text(encoding="utf-8")
    lines = history.splitlines()
    assert lines[0].startswith("==> ") and lines[0].endswith(" <==")
    assert lines[1] == "# cmd: jupyterlab-conda-envs create"
    assert lines[2].startswith("# rattler")
    assert lines[-1] == f"# update specs: ['{PYTHON}', 'pip']"
    pkgs_main = channels["pkgs/main"]
    assert sorted(line for line in lines if line.startswith("+")) == sorted(
        f"+{pkgs_main}/{r.subdir}::{r.name.source}-{r.version}-{r.build}" for r in records.values()
    )
    # What the extension's own readers make of it.
    assert requested_specs(history) == {"python": PYTHON, "pip": "pip"}
    packages = Inventory(enabled=False).packages(str(prefix))
    assert packages.errors == []
    assert {(p.name, p.version, p.source) for p in packages.packages} == {
        (r.name.source, str(r.version), "conda") for r in records.values()
    }

    progress = [e for e in events if e.kind == "progress"]
    assert progress[0].phase == "solve"
    assert {"solve", "link"} <= {e.phase for e in progress}
    fractions = [e.fraction for e in progress]
    assert all(f is not None for f in fractions)
    assert fractions == sorted(fractions, key=lambda f: f or 0.0)
    assert progress[-1].fraction == 1.0 and events[-1] is progress[-1]
    assert any(e.kind == "log" and e.message.strip().startswith(f"+ python {HOST_PYTHON} ") for e in events)


def test_pip_lines_are_installed_by_the_new_environments_pip(
    conda_root: dict[str, Any], channels: dict[str, str], cache_dir: str, tmp_path: Path
) -> None:
    prefix = tmp_path / "with pip"  # a space on purpose: the argument list is never a shell line
    wheels = conda_root["paths"]["wheels"]
    hook = Runnable(prefix)
    events = create(
        prefix,
        [channels["pkgs/main"]],
        [PYTHON],
        ["mdurl==0.1.2"],
        cache_dir=cache_dir,
        on_event=hook,
        pip_env={"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": wheels},
    )
    assert hook.done
    dist = site_packages(prefix) / "mdurl-0.1.2.dist-info"
    assert (dist / "INSTALLER").read_text().strip() == "pip"
    pypi = [p for p in Inventory(enabled=False).packages(str(prefix)).packages if p.source == "pypi"]
    assert ("mdurl", "0.1.2") in {(p.name, p.version) for p in pypi}
    assert any(e.phase == "pip" and "Successfully installed mdurl-0.1.2" in e.message for e in events)
    assert events[-1].kind == "progress" and events[-1].fraction == 1.0
    # The requirements file lived in a private temporary folder that is gone, not in the prefix.
    assert not list(prefix.rglob("requirements.txt"))


# --- failures --------------------------------------------------------------------------------------------------


def test_unsolvable_spec_fails_cleanly(channels: dict[str, str], cache_dir: str, tmp_path: Path) -> None:
    prefix = tmp_path / "made" / "here" / "env"
    with pytest.raises(RattlerCreateError) as info:
        create(prefix, [channels["pkgs/main"]], [PYTHON, "no-such-package"], cache_dir=cache_dir)
    assert "cannot be solved" in info.value.message
    assert "no-such-package" in info.value.message
    assert_gone(prefix, tmp_path / "made")
    assert list(tmp_path.iterdir()) == []


def test_missing_channel_fails_cleanly(cache_dir: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    with pytest.raises(RattlerCreateError, match="Could not read the channels"):
        create(prefix, [(tmp_path / "no-channel").as_uri()], [PYTHON], cache_dir=cache_dir)
    assert not prefix.exists()


def test_pip_failure_with_the_placeholder_python(channels: dict[str, str], cache_dir: str, tmp_path: Path) -> None:
    prefix = tmp_path / "a" / "env"
    with pytest.raises(RattlerCreateError) as info:
        create(prefix, [channels["pkgs/main"]], [PYTHON, "pip"], ["mdurl==0.1.2"], cache_dir=cache_dir)
    assert info.value.message.startswith("pip failed (exit code 127)")
    assert "placeholder for a conda python launcher" in info.value.message
    assert_gone(prefix, tmp_path / "a")


def test_pip_failure_message_masks_secrets(channels: dict[str, str], cache_dir: str, tmp_path: Path) -> None:
    """pip names the URL it failed on, token and all; the message and the log lines carry it masked."""
    prefix = tmp_path / "env"
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: pip's request fails at once
    wheel = f"http://127.0.0.1:{port}/t/tok-123456/mdurl-0.1.2-py3-none-any.whl"
    links = f"http://alice:s3cret@127.0.0.1:{port}/t/tok-123456/simple/"
    events: list[RattlerEvent] = []
    with pytest.raises(RattlerCreateError) as info:
        create(
            prefix,
            [channels["pkgs/main"]],
            [PYTHON],
            [f"mdurl @ {wheel}"],
            cache_dir=cache_dir,
            on_event=Runnable(prefix),
            pip_env={"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": links, "PIP_RETRIES": "0"},
            events=events,
        )
    message = info.value.message
    assert message.startswith("pip failed (exit code 1)")
    assert f"127.0.0.1', port={port}): Max retries exceeded with url: /t/***/mdurl-0.1.2" in message
    logged = "\n".join(e.message for e in events if e.phase == "pip")
    assert f"Looking in links: http://alice:***@127.0.0.1:{port}/t/***/simple/" in logged
    assert "tok-123456" not in message + logged and "s3cret" not in message + logged
    assert not prefix.exists()


def test_existing_prefix_is_refused_and_untouched(channels: dict[str, str], cache_dir: str, tmp_path: Path) -> None:
    prefix = tmp_path / "existing"
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / "conda-meta" / "history").write_text("==> 2024-01-01 00:00:00 <==\n", encoding="utf-8")
    (prefix / "keep.txt").write_text("mine", encoding="utf-8")
    before = sorted((str(p), p.stat().st_mtime_ns) for p in prefix.rglob("*"))
    events: list[RattlerEvent] = []
    with pytest.raises(FileExistsError):
        create(prefix, [channels["pkgs/main"]], [PYTHON], cache_dir=cache_dir, events=events)
    assert sorted((str(p), p.stat().st_mtime_ns) for p in prefix.rglob("*")) == before
    assert events == []

    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExistsError):
        create(dangling, [channels["pkgs/main"]], [PYTHON], cache_dir=cache_dir)
    assert dangling.is_symlink() and not (tmp_path / "nowhere").exists()


# --- cancellation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["solve", "download", "link"])
def test_cancel_removes_the_prefix(phase: str, channels: dict[str, str], tmp_path: Path) -> None:
    """Cancelled at the first event of a phase: the solve, packages going into the (fresh, so really filled)
    cache, linking. The rattler child is ended before the prefix is removed, so nothing reappears afterwards."""
    prefix = tmp_path / "new" / "env"
    before = children()
    fired: list[RattlerEvent] = []

    def cancel_at(event: RattlerEvent, task: asyncio.Task[Any]) -> None:
        if event.kind == "progress" and event.phase == phase and not fired:
            fired.append(event)
            if phase == "link":  # linking has written into the prefix already
                assert list((prefix / "conda-meta").glob("*.json"))
            task.cancel()

    sources = [channels["pytorch"], channels["nvidia"], channels["pkgs/main"]]
    with pytest.raises(asyncio.CancelledError):
        create(
            prefix,
            sources,
            [PYTHON, "pytorch", "pip"],
            cache_dir=str(tmp_path / "cache"),
            on_event=cancel_at,
        )
    assert fired
    assert_gone(prefix, tmp_path / "new")
    assert children() <= before
    time.sleep(0.5)
    assert not os.path.lexists(tmp_path / "new")


@pytest.mark.parametrize("ignores_signals", [False, True])
def test_cancel_during_a_hanging_pip(
    ignores_signals: bool,
    channels: dict[str, str],
    cache_dir: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hanging_server: int,
) -> None:
    """pip waits on a server that accepts and never answers; cancelling ends its process group (SIGINT; with
    SIGINT and SIGTERM ignored, SIGKILL after the waits) and removes the prefix."""
    monkeypatch.setattr(process, "SIGINT_WAIT_S", 0.5)
    monkeypatch.setattr(process, "SIGTERM_WAIT_S", 0.5)
    prefix = tmp_path / "env"
    env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": f"http://127.0.0.1:{hanging_server}/", "PIP_TIMEOUT": "120"}
    if ignores_signals:
        hooks = tmp_path / "hooks"
        hooks.mkdir()
        (hooks / "sitecustomize.py").write_text(
            "import signal\n"
            "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        )
        env["PYTHONPATH"] = str(hooks)
    cancelled_at: list[float] = []

    def cancel_when_pip_talks(event: RattlerEvent, task: asyncio.Task[Any]) -> None:
        if event.kind == "log" and event.phase == "pip" and "Looking in links" in event.message and not cancelled_at:
            assert processes_mentioning(str(prefix)), "pip is running"
            cancelled_at.append(time.monotonic())
            task.cancel()

    with pytest.raises(asyncio.CancelledError):
        create(
            prefix,
            [channels["pkgs/main"]],
            [PYTHON],
            ["mdurl==0.1.2"],
            cache_dir=cache_dir,
            on_event=Runnable(prefix, cancel_when_pip_talks),
            pip_env=env,
        )
    assert cancelled_at
    took = time.monotonic() - cancelled_at[0]
    assert took < 5, took
    if ignores_signals:
        assert took >= 1.0, "SIGINT and SIGTERM were ignored, so only SIGKILL after both waits ended pip"
    assert not prefix.exists()
    assert processes_mentioning(str(prefix)) == []


@pytest.fixture
def hanging_server() -> Iterator[int]:
    """A port whose connections are accepted (by the kernel's backlog) and never answered."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


# --- pieces ----------------------------------------------------------------------------------------------------


def test_rattler_available() -> None:
    assert rattler_available() is True


def test_channel_names_map_as_conda_maps_them() -> None:
    assert channel_urls(["pytorch", "nvidia", "defaults", "conda-forge", "nodefaults"]) == [
        "https://conda.anaconda.org/pytorch",
        "https://conda.anaconda.org/nvidia",
        "https://repo.anaconda.com/pkgs/main",
        "https://repo.anaconda.com/pkgs/r",
        "https://conda.anaconda.org/conda-forge",
    ]
    assert channel_urls(["pkgs/main", "file:///srv/chan/", "/srv/other", "defaults"]) == [
        "https://repo.anaconda.com/pkgs/main",
        "file:///srv/chan",
        "file:///srv/other",
        "https://repo.anaconda.com/pkgs/r",
    ]
    with pytest.raises(RattlerCreateError):
        channel_urls(["./here"])
    with pytest.raises(RattlerCreateError):
        channel_urls(["nodefaults"])


def test_history_channel_is_condas_canonical_name() -> None:
    assert history_channel("https://conda.anaconda.org/conda-forge/") == "conda-forge"
    assert history_channel("https://conda.anaconda.org/t/tk-1/private/") == "private"
    assert history_channel("https://repo.anaconda.com/pkgs/main/") == "defaults"
    assert history_channel("https://u:pw@example.org:8443/t/tk-1/chan/") == "https://example.org:8443/chan"
    assert history_channel("file:///srv/chan/") == "file:///srv/chan"


def test_the_job_runner_tracks_the_child_so_the_exit_kill_reaches_it(tmp_path: Path, hanging_server: int) -> None:
    """The solve waits on a channel that never answers; while it does, the process runner knows the child's process
    group, so the last-resort SIGKILL at interpreter exit (`kill_all_now`) ends it, and the job fails, leaving no
    prefix."""
    from jupyterlab_conda_envs.create.validation import plan_create
    from jupyterlab_conda_envs.create.work import rattler_work
    from jupyterlab_conda_envs.jobs.runner import JobManager

    prefix = tmp_path / "envs" / "hung"
    plan = plan_create(b"name: hung\ndependencies:\n  - python\n", allow=("channel",))
    work = rattler_work(
        plan,
        str(prefix),
        cache_dir=str(tmp_path / "pkgs"),
        channels=[f"http://127.0.0.1:{hanging_server}/hung"],
        virtual_packages=VIRTUALS,
    )

    async def main() -> tuple[str, list[int]]:
        manager = JobManager()
        before = process.live_groups()
        job = manager.submit("create", "hung", str(prefix), "rattler", work)
        deadline = time.monotonic() + 30
        while not process.live_groups() - before:
            assert job.active and time.monotonic() < deadline, job.error
            await asyncio.sleep(0.02)
        pids = list(process.live_groups() - before)  # a group's id is its leader's pid
        await asyncio.sleep(0.3)
        assert job.status == "running", "the solve is waiting on the channel"
        process.kill_all_now()  # what the server registers to run at interpreter exit
        while job.active:
            assert time.monotonic() < deadline + 30
            await asyncio.sleep(0.02)
        assert not process.live_groups() & set(pids), "untracked once it ended"
        return job.status, pids

    status, pids = asyncio.run(main())
    assert status == "failed"
    assert all(not alive(pid) for pid in pids)
    assert not prefix.exists()

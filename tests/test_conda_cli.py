"""The conda CLI building blocks: finding tools, argument lists, reading their output; against recorded outputs
(reconstructions, see fixtures/conda_cli/README.md) and the stand-in CLI in tests/stand_in run for real."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyterlab_conda_envs.core.process import run_bounded, run_process
from jupyterlab_conda_envs.create.cli_output import RECORD_MAX, CliEvent, OutputParser, trimmed_stderr
from jupyterlab_conda_envs.create.conda_cli import (
    Tool,
    ToolKind,
    child_environ,
    create_argv,
    find_tools,
    parse_version_output,
    update_argv,
)

STAND_IN = Path(__file__).parent / "stand_in"
RECORDED = Path(__file__).parent / "fixtures" / "conda_cli"
PREFIX = "/home/user/miniconda3/envs/demo"
KINDS: tuple[ToolKind, ...] = ("conda", "mamba", "mamba2", "micromamba")
ENVIRONMENT_YML = """name: demo
channels:
  - conda-forge
dependencies:
  - python=3.12
  - "numpy>=1.26"
  - conda-forge::pandas
  - pip:
      - requests==2.32.3
"""


def parse(data: bytes, kind: ToolKind = "conda") -> list[CliEvent]:
    parser = OutputParser(kind)
    return parser.feed(data) + parser.close()


def kinds(events: list[CliEvent]) -> list[str]:
    return [e.kind for e in events]


def fractions(events: list[CliEvent]) -> list[float]:
    return [e.fraction for e in events if e.kind == "progress" and e.fraction is not None]


# --- versions and finding the tools --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fixture", "expected"),
    [
        ("/opt/conda/bin/conda", "conda-version.txt", ("conda", "24.11.3")),
        ("/opt/conda/bin/mamba", "mamba1-version.txt", ("mamba", "1.5.8")),
        ("/opt/mamba/bin/mamba", "mamba2-version.txt", ("mamba2", "2.0.5")),
        ("/usr/local/bin/micromamba", "micromamba-version.txt", ("micromamba", "1.5.8")),
        ("/usr/local/bin/micromamba", "mamba2-version.txt", ("micromamba", "2.0.5")),
        ("/usr/local/bin/micromamba", "micromamba0-version.txt", ("micromamba", "0.7.0")),
        # A micromamba installed under the name mamba (some images do): a libmamba CLI all the same.
        ("/usr/local/bin/mamba", "micromamba-version.txt", ("micromamba", "1.5.8")),
    ],
)
def test_version_outputs(path: str, fixture: str, expected: tuple[str, str]) -> None:
    assert parse_version_output(path, (RECORDED / fixture).read_text()) == expected


@pytest.mark.parametrize("text", ["", "garbage\n", "Traceback (most recent call last):\n", "conda\n"])
def test_unrecognised_version_outputs(text: str) -> None:
    assert parse_version_output("/opt/conda/bin/conda", text) is None


def install_stand_in(folder: Path, name: str) -> Path:
    """A copy (not a link: tools are told apart by their real paths) of the stand-in named `name`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(STAND_IN / "conda", target)
    target.chmod(0o755)
    # The module it imports from its own folder.
    shutil.copyfile(STAND_IN / "conda_documents.py", folder / "conda_documents.py")
    return target


@pytest.fixture
def python_dir(tmp_path: Path) -> Path:
    """A folder holding only `python3`, for the stand-in's `#!/usr/bin/env python3` on a controlled PATH."""
    folder = tmp_path / "python-bin"
    folder.mkdir()
    (folder / "python3").symlink_to(sys.executable)
    return folder


def test_find_tools_order_kinds_and_sources(tmp_path: Path, python_dir: Path) -> None:
    configured = install_stand_in(tmp_path / "configured" / "bin", "conda")
    conda_exe = install_stand_in(tmp_path / "miniconda3" / "bin", "conda")
    mamba_exe = install_stand_in(tmp_path / "micromamba" / "bin", "micromamba")
    path_bin = tmp_path / "path-bin"
    path_conda = install_stand_in(path_bin, "conda")
    path_mamba = install_stand_in(path_bin, "mamba")
    environ = {
        "PATH": os.pathsep.join([str(path_bin), str(python_dir)]),
        "CONDA_EXE": str(conda_exe),
        "MAMBA_EXE": str(mamba_exe),
        "STAND_IN_VERSION_MICROMAMBA": "1.5.8",
    }
    tools = find_tools(environ, str(configured))
    assert tools == [
        Tool("conda", str(configured), "24.11.3", "configured"),
        Tool("conda", str(conda_exe), "24.11.3", "CONDA_EXE"),
        Tool("micromamba", str(mamba_exe), "1.5.8", "MAMBA_EXE"),
        Tool("conda", str(path_conda), "24.11.3", "PATH"),
        Tool("mamba", str(path_mamba), "1.5.8", "PATH"),
    ]


def test_find_tools_tells_mamba_2_from_mamba_1(tmp_path: Path, python_dir: Path) -> None:
    bin_dir = tmp_path / "bin"
    mamba = install_stand_in(bin_dir, "mamba")
    micromamba = install_stand_in(bin_dir, "micromamba")
    environ = {"PATH": os.pathsep.join([str(bin_dir), str(python_dir)]), "STAND_IN_VERSION_MAMBA": "2.0.5"}
    assert find_tools(environ) == [
        Tool("mamba2", str(mamba), "2.0.5", "PATH"),
        Tool("micromamba", str(micromamba), "2.0.5", "PATH"),
    ]


def test_find_tools_one_entry_per_real_path(tmp_path: Path, python_dir: Path) -> None:
    root = tmp_path / "miniconda3"
    conda = install_stand_in(root / "bin", "conda")
    condabin = root / "condabin"
    condabin.mkdir()
    (condabin / "conda").symlink_to(conda)
    environ = {
        "PATH": os.pathsep.join([str(condabin), str(root / "bin"), str(python_dir)]),
        "CONDA_EXE": str(conda),
    }
    assert find_tools(environ, str(condabin / "conda")) == [
        Tool("conda", str(condabin / "conda"), "24.11.3", "configured")
    ]


def test_find_tools_takes_absolute_executable_files_only(
    tmp_path: Path, python_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    relative_bin = tmp_path / "here"
    install_stand_in(relative_bin, "conda")
    monkeypatch.chdir(tmp_path)
    not_executable = tmp_path / "plain" / "conda"
    not_executable.parent.mkdir()
    shutil.copyfile(STAND_IN / "conda", not_executable)
    folder = tmp_path / "folder" / "micromamba"
    folder.mkdir(parents=True)
    environ = {
        # "here" and "" are relative: the server's working folder is no place to take a program from.
        "PATH": os.pathsep.join(["here", "", str(tmp_path / "folder"), str(python_dir)]),
        "CONDA_EXE": str(not_executable),
        "MAMBA_EXE": "here/conda",
    }
    assert find_tools(environ, "here/conda") == []
    assert find_tools({}, str(tmp_path / "missing" / "conda")) == []


def test_a_hanging_or_failing_version_is_bounded_and_skipped(tmp_path: Path, python_dir: Path) -> None:
    bin_dir = tmp_path / "bin"
    install_stand_in(bin_dir, "conda")
    micromamba = install_stand_in(bin_dir, "micromamba")
    mamba = install_stand_in(bin_dir, "mamba")
    environ = {
        "PATH": os.pathsep.join([str(bin_dir), str(python_dir)]),
        "STAND_IN_VERSION_CONDA": "hang",
        "STAND_IN_VERSION_MAMBA": "fail",
    }
    started = time.monotonic()
    tools = find_tools(environ, timeout=1.0)
    assert time.monotonic() - started < 6.0  # 1 s deadline, then SIGTERM to the group (2 s grace at most)
    assert tools == [Tool("micromamba", str(micromamba), "2.0.5", "PATH")]
    environ["STAND_IN_VERSION_MAMBA"] = "this is not a version"
    environ["STAND_IN_VERSION_CONDA"] = "fail"
    assert find_tools(environ, str(mamba), timeout=5.0) == [Tool("micromamba", str(micromamba), "2.0.5", "PATH")]


# --- argument lists ------------------------------------------------------------------------------------------------


def tool(kind: ToolKind) -> Tool:
    return Tool(kind, f"/opt/{kind}/bin/{'mamba' if kind == 'mamba2' else kind}", "1.0", "PATH")


def test_create_argv_per_tool() -> None:
    yml = "/tmp/conda-envs-x/environment.yml"
    assert create_argv(tool("conda"), yml, name="demo") == [
        "/opt/conda/bin/conda",
        *("env", "create", "--file", yml, "--name", "demo", "--json"),
    ]
    assert create_argv(tool("mamba"), yml, prefix="/envs/demo") == [
        "/opt/mamba/bin/mamba",
        *("env", "create", "--file", yml, "--prefix", "/envs/demo", "--json"),
    ]
    assert create_argv(tool("mamba2"), yml, prefix="/envs/demo") == [
        "/opt/mamba2/bin/mamba",
        *("create", "--file", yml, "--prefix", "/envs/demo", "--json"),
    ]
    assert create_argv(tool("micromamba"), yml, name="demo") == [
        "/opt/micromamba/bin/micromamba",
        *("create", "--file", yml, "--name", "demo", "--json"),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_create_never_confirms_nor_silences(kind: ToolKind) -> None:
    # --yes/--force/-y delete an existing prefix (conda env create, libmamba create); -q turns conda's progress off.
    for argv in (
        create_argv(tool(kind), "/tmp/e.yml", name="demo"),
        create_argv(tool(kind), "/tmp/e.yml", prefix="/envs/demo"),
    ):
        assert not {"--yes", "-y", "--force", "-q", "--quiet"} & set(argv)
        assert "--json" in argv


@pytest.mark.parametrize("kind", KINDS)
def test_update_argv(kind: ToolKind) -> None:
    pruned = update_argv(tool(kind), "/tmp/e.yml", prefix="/envs/demo", prune=True)
    kept = update_argv(tool(kind), "/tmp/e.yml", prefix="/envs/demo", prune=False)
    assert pruned[1:3] == ["env", "update"] and kept[1:3] == ["env", "update"]
    assert pruned[pruned.index("--prefix") + 1] == "/envs/demo"
    assert "--prune" in pruned and "--prune" not in kept
    assert "--json" in pruned and "--force" not in pruned
    # libmamba's update has no prefix removal: confirming keeps it from depending on stdin.
    assert ("--yes" in pruned) == (kind in ("mamba2", "micromamba"))


@pytest.mark.parametrize("name", ["-h", "--prefix=/tmp/x", "-", "", "  ", "a/b", "a\0b"])
def test_names_that_could_read_as_options_are_refused(name: str) -> None:
    for kind in KINDS:
        with pytest.raises(ValueError):
            create_argv(tool(kind), "/tmp/e.yml", name=name)


def test_exactly_one_target_and_absolute_paths() -> None:
    with pytest.raises(ValueError):
        create_argv(tool("conda"), "/tmp/e.yml")
    with pytest.raises(ValueError):
        create_argv(tool("conda"), "/tmp/e.yml", name="demo", prefix="/envs/demo")
    with pytest.raises(ValueError):
        create_argv(tool("conda"), "/tmp/e.yml", prefix="envs/demo")
    with pytest.raises(ValueError):
        create_argv(tool("conda"), "e.yml", prefix="/envs/demo")
    with pytest.raises(ValueError):
        update_argv(tool("micromamba"), "/tmp/e.yml", prefix="-p", prune=False)


def test_child_environ_pins_always_yes_off() -> None:
    env = child_environ({"PATH": "/usr/bin", "CONDA_YES": "1", "MAMBA_ALWAYS_YES": "true", "HOME": "/h"})
    assert env == {"PATH": "/usr/bin", "HOME": "/h", "CONDA_ALWAYS_YES": "false", "MAMBA_ALWAYS_YES": "false"}


# --- output: recorded -------------------------------------------------------------------------------------------


def test_conda_create_progress_and_result() -> None:
    events = parse((RECORDED / "conda-env-create.stdout").read_bytes())
    assert set(kinds(events)) == {"progress", "result"}
    progress = fractions(events)
    assert progress == sorted(progress) and 0.05 < progress[0] < progress[-1] <= 0.9
    phases = [e.phase for e in events if e.kind == "progress"]
    assert phases[-1] == "link" and set(phases[:-1]) == {"download"}
    assert "numpy-2.1.3" in {e.message for e in events}
    result = events[-1]
    assert result == CliEvent("result", fraction=1.0, message=f"Done: {PREFIX} (5 packages linked)")


def test_conda_errors() -> None:
    (error,) = parse((RECORDED / "conda-env-create-not-found.stdout").read_bytes())
    assert error.kind == "error"
    assert error.message.startswith("PackagesNotFoundError: The following packages are not available")
    assert "  - nosuchpackage" in error.message
    (exists,) = parse((RECORDED / "conda-env-create-exists.stdout").read_bytes())
    assert exists == CliEvent("error", message=f"CondaValueError: prefix already exists: {PREFIX}")
    interrupted = parse((RECORDED / "conda-keyboard-interrupt.stdout").read_bytes())
    assert kinds(interrupted)[-1] == "error" and set(kinds(interrupted)[:-1]) == {"progress"}
    assert interrupted[-1].message == "CondaError: KeyboardInterrupt"


def test_conda_update_results() -> None:
    events = parse((RECORDED / "conda-env-update-prune.stdout").read_bytes())
    assert kinds(events) == ["progress", "progress", "progress", "progress", "result"]
    assert events[-1].message == f"Done: {PREFIX} (1 package linked)"
    (nothing,) = parse((RECORDED / "conda-env-update-nothing.stdout").read_bytes())
    assert nothing == CliEvent("result", fraction=1.0, message="All requested packages already installed.")


def test_conda_text_mode_gives_logs_and_phases() -> None:
    events = parse((RECORDED / "conda-env-create-text.stdout").read_bytes())
    assert "result" not in kinds(events) and "error" not in kinds(events)
    phases = [e.phase for e in events if e.kind == "progress"]
    assert phases == ["metadata", "solve", "download", "link", "pip"]
    assert fractions(events) == sorted(fractions(events))
    logs = [e.message for e in events if e.kind == "log"]
    assert "Solving environment: ...working... done" in logs
    assert "#     $ conda activate demo" in logs


def test_libmamba_prompt_and_result() -> None:
    events = parse((RECORDED / "micromamba-create.stdout").read_bytes(), "micromamba")
    assert events == [
        CliEvent("log", message="Confirm changes: [Y/n]"),
        CliEvent("result", fraction=1.0, message=f"Done: {PREFIX} (5 packages linked)"),
    ]
    (error,) = parse((RECORDED / "micromamba-create-unsolvable.stdout").read_bytes(), "mamba2")
    assert error == CliEvent(
        "error", message="Could not solve for environment specs\n  nothing provides requested nosuchpackage"
    )


FIXTURES = sorted(p.name for p in RECORDED.glob("*.stdout"))


@pytest.mark.parametrize("fixture", FIXTURES)
def test_chunks_split_anywhere(fixture: str) -> None:
    data = (RECORDED / fixture).read_bytes()
    whole = parse(data)
    for cut in range(len(data) + 1):
        parser = OutputParser("conda")
        assert parser.feed(data[:cut]) + parser.feed(data[cut:]) + parser.close() == whole, cut
    parser = OutputParser("conda")
    one_by_one = [event for i in range(len(data)) for event in parser.feed(data[i : i + 1])]
    assert one_by_one + parser.close() == whole


# --- output: odd input ------------------------------------------------------------------------------------------


def test_nul_separated_records_without_newlines() -> None:
    records = b"".join(
        b'{"fetch":"pkg-%d             | 1 KB      | ","finished":false,"maxval":1,"progress":1.000000}\0' % i
        for i in range(3)
    )
    events = parse(records + b'{"success": true, "prefix": "/p"}\0')
    assert kinds(events) == ["progress", "progress", "progress", "result"]
    assert events[-1].message == "Done: /p"


def test_malformed_and_cut_documents_become_logs() -> None:
    events = parse(b'{"fetch": broken}\n\0{\n  "success": true,\nSolving environment: done\n')
    assert events == [
        CliEvent("log", message='{"fetch": broken}'),
        CliEvent("log", message="{"),
        CliEvent("log", message='  "success": true,'),
        CliEvent("progress", fraction=0.02, phase="solve"),
        CliEvent("log", message="Solving environment: done"),
    ]
    # Open at the end of the output: the remainder becomes logs.
    assert parse(b'{\n  "success": true,') == [
        CliEvent("log", message="{"),
        CliEvent("log", message='  "success": true,'),
    ]
    # A last line without newline is flushed by close().
    assert parse(b"done") == [CliEvent("log", message="done")]


def test_oversized_lines_and_documents_are_dropped() -> None:
    record = b'{"fetch":"numpy-2.1.3          | 8.0 MB    | ","finished":false,"maxval":1,"progress":0.500000}\n\0'
    garbage = b"x" * (3 * RECORD_MAX)
    parser = OutputParser("conda")
    events: list[CliEvent] = []
    for start in range(0, len(garbage), 65536):
        events += parser.feed(garbage[start : start + 65536])
    events += parser.feed(b"\n" + record)
    assert [e.kind for e in events] == ["log", "progress"]
    assert "dropped" in events[0].message
    big_document = b"{\n" + (b'  "k": "' + b"y" * 1000 + b'",\n') * (RECORD_MAX // 1000 + 10)
    big_document += b'  "success": true\n}\n'
    tail = b'{"success": true, "prefix": "/p"}\n'
    events = parse(big_document + tail)
    assert kinds(events) == ["log", "result"] and "dropped" in events[0].message


def test_garbage_never_raises() -> None:
    rng = random.Random(6)
    for _ in range(50):
        data = rng.randbytes(rng.randrange(1, 5000))
        events = parse(data)
        assert all(e.kind in ("progress", "log", "result", "error") for e in events)
    deep = b"[" * 100_000 + b"]" * 100_000
    assert kinds(parse(b'{"a": ' + deep + b"}\n")) == ["log"]
    assert parse(b"\xff\xfe caf\xc3\xa9 \x1b[1mbold\x1b[0m\r\n") == [CliEvent("log", message="\ufffd\ufffd café bold")]
    assert parse(b'{"fetch": "x", "progress": "NaN"}\n{"fetch": "x", "progress": 1e999}\n') == [
        CliEvent("progress", fraction=0.05, phase="download", message="x")
    ]
    assert parse(b"[1, 2]\n42\n") == [CliEvent("log", message="[1, 2]"), CliEvent("log", message="42")]


def test_messages_are_masked_and_capped() -> None:
    events = parse(
        b"Fetching https://user:s3cret@mirror.example.org/conda-forge/linux-64\n"
        + b"z" * 10_000
        + b'\n{"exception_name": "CondaHTTPError", "message": "HTTP 403 for https://conda.anaconda.org/t/abc123/x"}\n'
    )
    assert events[0].message == "Fetching https://user:***@mirror.example.org/conda-forge/linux-64"
    assert len(events[1].message) <= 2000 and events[1].message.endswith("…")
    assert events[2] == CliEvent("error", message="CondaHTTPError: HTTP 403 for https://conda.anaconda.org/t/***/x")


def test_progress_never_goes_back_and_closing_twice_is_empty() -> None:
    parser = OutputParser("conda")
    big = b'{"fetch":"python-3.12.7        | 30.2 MB   | ","finished":false,"maxval":1,"progress":%f}\n\0'
    small = b'{"fetch":"tzdata-2024b         | 119 KB    | ","finished":false,"maxval":1,"progress":%f}\n\0'
    events = parser.feed(big % 0.9 + small % 0.0 + small % 1.0)
    assert fractions(events) == sorted(fractions(events))
    assert parser.close() == []
    assert parser.close() == []
    assert parser.feed(b"late\n") == []


# --- stderr ----------------------------------------------------------------------------------------------------


def test_trimmed_stderr() -> None:
    text = (RECORDED / "conda-env-create-not-found.stderr").read_text()
    trimmed = trimmed_stderr(text)
    assert "s3cret" not in trimmed and "tk-0123456789abcdef" not in trimmed
    assert "https://user:***@mirror.example.org" in trimmed and "/t/***/private" in trimmed
    assert trimmed.startswith("Traceback")
    lines = "\n".join(f"line {i}" for i in range(1000))
    short = trimmed_stderr("\n\n" + lines + "\n\n", limit=100)
    assert len(short) <= 100 and short.startswith("…\n") and short.endswith("line 999")
    assert trimmed_stderr("a" * 500, limit=10) == "…" + "a" * 9
    assert trimmed_stderr("\x1b[31mcritical\x1b[0m libmamba Aborting.\r\n") == "critical libmamba Aborting."
    assert trimmed_stderr("anything", limit=0) == ""
    assert trimmed_stderr((RECORDED / "micromamba-create-exists.stderr").read_text()) == "critical libmamba Aborting."


# --- the stand-in, run for real ----------------------------------------------------------------------------------


@pytest.fixture
def world(tmp_path: Path, python_dir: Path) -> Iterator[dict[str, Path]]:
    yml = tmp_path / "work" / "environment.yml"
    yml.parent.mkdir()
    yml.write_text(ENVIRONMENT_YML)
    (tmp_path / "home").mkdir()
    yield {"tmp": tmp_path, "yml": yml, "python": python_dir, "log": tmp_path / "argv.log"}


def environ_for(world: dict[str, Path], mode: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": str(world["python"]),
        "HOME": str(world["tmp"] / "home"),
        "STAND_IN_CONDA_MODE": mode,
        "STAND_IN_CONDA_ARGV_LOG": str(world["log"]),
        **extra,
    }


def run(argv: list[str], env: dict[str, str]) -> tuple[int, bytes, str]:
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False)
    return done.returncode, done.stdout, done.stderr.decode()


class Terminal:
    """The stand-in with a pseudo-terminal for its stdout: `isatty()` is true there, as in a person's shell, and conda
    writes its JSON progress records only then (conda/common/terminal.py `is_tty`)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.fd, slave = pty.openpty()
        try:
            self.process = subprocess.Popen(
                argv, env=env, stdin=subprocess.DEVNULL, stdout=slave, start_new_session=True
            )
        finally:
            os.close(slave)

    def read(self, timeout: float) -> bytes:
        """What came within `timeout` seconds; b"" at the end (Linux answers EIO once the other side is closed)."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.fd, 65536)
        except OSError:
            return b""

    def rest(self) -> bytes:
        data = b""
        while chunk := self.read(30):
            data += chunk
        return data

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.fd)


def on_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    terminal = Terminal(argv, env)
    try:
        out = terminal.rest()
        return terminal.process.wait(timeout=60), out
    finally:
        terminal.close()


def logged_argv(world: dict[str, Path]) -> list[list[str]]:
    return [json.loads(line)["argv"] for line in world["log"].read_text().splitlines()]


def conda_tool(world: dict[str, Path]) -> Tool:
    (found,) = find_tools({"PATH": str(world["python"])}, str(STAND_IN / "conda"))
    return found


def test_stand_in_ok_create_and_update(world: dict[str, Path]) -> None:
    conda = conda_tool(world)
    prefix = world["tmp"] / "envs" / "demo"
    argv = create_argv(conda, str(world["yml"]), prefix=str(prefix))
    code, out, err = run(argv, environ_for(world, "ok", STAND_IN_CONDA_REGISTER="1"))
    assert (code, err) == (0, "")
    assert logged_argv(world) == [argv]
    # Through a pipe, as real conda 26.7: no progress, the result alone (success first, no newline after it).
    assert parse(out) == [CliEvent("result", fraction=1.0, message=f"Done: {prefix} (3 packages linked)")]
    assert out.startswith(b'{\n  "success": true,') and out.endswith(b"}")
    history = (prefix / "conda-meta" / "history").read_text()
    assert history.startswith("==> ") and "# cmd: " in history
    assert "# update specs: ['python=3.12', 'numpy>=1.26', 'conda-forge::pandas']" in history
    assert (world["tmp"] / "home" / ".conda" / "environments.txt").read_text() == f"{prefix}\n"

    update = update_argv(conda, str(world["yml"]), prefix=str(prefix), prune=True)
    code, out, _ = run(update, environ_for(world, "ok"))
    assert code == 0 and kinds(parse(out))[-1] == "result"
    assert logged_argv(world)[-1] == update
    assert history.count("==> ") == 1 and (prefix / "conda-meta" / "history").read_text().count("==> ") == 2


def test_stand_in_writes_progress_on_a_terminal(world: dict[str, Path]) -> None:
    conda = conda_tool(world)
    prefix = world["tmp"] / "envs" / "shown"
    argv = create_argv(conda, str(world["yml"]), prefix=str(prefix))
    code, out = on_terminal(argv, environ_for(world, "ok"))
    events = parse(out)
    assert code == 0 and kinds(events)[-1] == "result" and set(kinds(events)[:-1]) == {"progress"}
    phases = [e.phase for e in events if e.kind == "progress"]
    assert phases[-1] == "link" and set(phases[:-1]) == {"download"} and "numpy-1.26" in {e.message for e in events}
    assert [json.loads(line)["tty"] for line in world["log"].read_text().splitlines()] == [True]


def test_stand_in_by_name_uses_conda_envs_path(world: dict[str, Path]) -> None:
    conda = conda_tool(world)
    envs = world["tmp"] / "named-envs"
    argv = create_argv(conda, str(world["yml"]), name="demo")
    code, out, _ = run(argv, environ_for(world, "ok", CONDA_ENVS_PATH=str(envs)))
    assert code == 0 and (envs / "demo" / "conda-meta" / "history").is_file()
    # Without CONDA_ENVS_PATH and no <root>/envs next to the program: conda's error, nothing written.
    code, out, _ = run(argv, environ_for(world, "ok"))
    assert code == 1 and kinds(parse(out)) == ["error"]
    assert not (STAND_IN.parent / "envs").exists()


def test_stand_in_fail_nonjson_and_existing(world: dict[str, Path]) -> None:
    conda = conda_tool(world)
    prefix = world["tmp"] / "envs" / "demo"
    argv = create_argv(conda, str(world["yml"]), prefix=str(prefix))

    code, out, err = run(argv, environ_for(world, "fail"))
    assert code == 1 and not prefix.exists()
    (error,) = parse(out)
    assert error.kind == "error" and error.message.startswith("PackagesNotFoundInChannelsError: ")
    assert "tk-0123456789abcdef" in err and "tk-0123456789abcdef" not in trimmed_stderr(err)

    code, out, _ = run(argv, environ_for(world, "nonjson"))
    events = parse(out)
    assert code == 0 and "result" not in kinds(events) and "log" in kinds(events) and not prefix.exists()

    code, out, _ = run(argv, environ_for(world, "exists-error"))
    assert code == 1 and parse(out) == [CliEvent("error", message=f"CondaValueError: prefix already exists: {prefix}")]

    # An existing environment, frozen or not, is replaced with exit 0, as conda 26.7 does: the caller must refuse it.
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / "conda-meta" / "history").write_text("mine\n")
    (prefix / "conda-meta" / "frozen").write_text("")
    (prefix / "mine.txt").write_text("mine\n")
    code, out, _ = run(argv, environ_for(world, "ok"))
    assert code == 0 and kinds(parse(out)) == ["result"]
    assert "mine" not in (prefix / "conda-meta" / "history").read_text() and not (prefix / "mine.txt").exists()
    # An update of a frozen one is refused in conda's words.
    (prefix / "conda-meta" / "frozen").write_text('{"message": "kept"}')
    update = update_argv(conda, str(world["yml"]), prefix=str(prefix), prune=False)
    code, out, _ = run(update, environ_for(world, "ok"))
    (frozen,) = parse(out)
    assert code == 1 and frozen.message.startswith(f"EnvironmentIsFrozenError: Cannot modify '{prefix}'.")

    # --yes on create is a tripwire in the stand-in: real conda would delete the prefix.
    code, _, err = run([*argv, "--yes"], environ_for(world, "ok"))
    assert code == 3 and "refused" in err


def first_event(terminal: Terminal, parser: OutputParser) -> CliEvent:
    """The first event: on a terminal the stand-in's faults write one progress record before they hold."""
    deadline = time.monotonic() + 30
    while True:
        chunk = terminal.read(max(0.0, deadline - time.monotonic()))
        assert chunk, "no output from the stand-in within 30 s"
        events = parser.feed(chunk)
        if events:
            return events[0]


def test_stand_in_hang_partial_and_signals(world: dict[str, Path]) -> None:
    conda = conda_tool(world)
    prefix = world["tmp"] / "envs" / "partial"
    argv = create_argv(conda, str(world["yml"]), prefix=str(prefix))

    terminal = Terminal(argv, environ_for(world, "partial"))
    try:
        assert first_event(terminal, OutputParser("conda")).kind == "progress"
        assert (prefix / "conda-meta" / "history").is_file() and terminal.process.poll() is None
        # conda 26.7's answer to SIGINT while linking: CondaMultiError holding CondaSignalInterrupt, exit 1
        os.killpg(terminal.process.pid, signal.SIGINT)
        assert terminal.process.wait(timeout=10) == 1
        (error,) = parse(terminal.rest())
        assert error == CliEvent("error", message="Signal interrupt SIGINT\n()")
        assert prefix.exists()  # the injected fault: no rollback; removing what it left is the job runner's work
    finally:
        terminal.close()

    argv = create_argv(conda, str(world["yml"]), prefix=str(world["tmp"] / "envs" / "stubborn"))
    terminal = Terminal(argv, environ_for(world, "ignore-sigint"))
    try:
        assert first_event(terminal, OutputParser("conda")).kind == "progress"
        os.killpg(terminal.process.pid, signal.SIGINT)
        time.sleep(0.5)
        assert terminal.process.poll() is None
        os.killpg(terminal.process.pid, signal.SIGTERM)
        assert terminal.process.wait(timeout=10) == -signal.SIGTERM
    finally:
        terminal.close()

    # Before linking (hang), SIGINT is conda's KeyboardInterrupt error; through a pipe nothing came before it.
    process = subprocess.Popen(
        create_argv(conda, str(world["yml"]), prefix=str(world["tmp"] / "envs" / "held")),
        env=environ_for(world, "hang"), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while len(world["log"].read_text().splitlines()) < 3:  # the stand-in logs its run before it holds
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.2)
        os.killpg(process.pid, signal.SIGINT)
        out, _ = process.communicate(timeout=10)
        assert process.returncode == 1
        assert parse(out) == [CliEvent("error", message="CondaError: KeyboardInterrupt")]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_stand_in_hang_is_ended_at_a_deadline(world: dict[str, Path]) -> None:
    conda = conda_tool(world)
    argv = create_argv(conda, str(world["yml"]), prefix=str(world["tmp"] / "envs" / "hung"))
    started = time.monotonic()
    done = run_bounded(argv, 1.0, env=environ_for(world, "hang"))
    assert done.timed_out and time.monotonic() - started < 6.0
    assert parse(done.stdout.encode()) == []  # through a pipe conda shows nothing before its result
    (entry,) = [json.loads(line) for line in world["log"].read_text().splitlines()]
    with pytest.raises(ProcessLookupError):
        os.kill(entry["pid"], 0)


def test_stand_in_streams_progress_before_it_ends(world: dict[str, Path]) -> None:
    """As the job runner reads it: conda's stdout on the runner's pseudo-terminal (real conda writes progress only
    there), chunks as they come; the first progress long before the end."""
    conda = conda_tool(world)
    argv = create_argv(conda, str(world["yml"]), prefix=str(world["tmp"] / "envs" / "slow"))
    env = environ_for(world, "ok", STAND_IN_CONDA_DELAY="0.1")

    async def main() -> tuple[float, float, list[CliEvent]]:
        started = time.monotonic()
        parser = OutputParser("conda")
        events: list[CliEvent] = []
        first = 0.0

        def on_stdout(chunk: bytes) -> None:
            nonlocal first
            events.extend(parser.feed(chunk))
            if not first and events:
                first = time.monotonic() - started

        code = await run_process(argv, env=env, on_stdout=on_stdout, on_stderr=lambda _: None, stdout_terminal=True)
        assert code == 0
        events.extend(parser.close())
        return first, time.monotonic() - started, events

    first, total, events = asyncio.run(main())
    assert kinds(events)[-1] == "result"
    assert first < total - 0.5  # 9 records 0.1 s apart, plus one more delay before the result

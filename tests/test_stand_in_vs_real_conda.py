"""The stand-in CLI (tests/stand_in/conda) against REAL conda 26.7: the same requests, built by the extension's conda
backend (`create_argv`, `child_environ`, the core process runner, `OutputParser`), run on both, compared. A stand-in
that drifts from what conda does fails here.

Each tool gets a world of its own (HOME, a .condarc with root_prefix/envs_dirs/pkgs_dirs and `channels: []`, a
package cache), and the same environment.yml: python and pip from the fixture's live channel.

Normalisation, and why:
- The world's folder is written `<world>` in every text: the two worlds are different temporary folders.
- Consecutive progress events count as one (`_runs`): how many records conda writes depends on download sizes and
  chunking (a local file arrives at once; the stand-in writes 0.25/0.5/1.0); the kinds, their order and the phases
  (download, then link) must agree.
- A result document is compared by its keys, in order, recursively (`_keys`): values (versions, hashes, timestamps,
  sizes) are the channel's, the stand-in makes its own; a list counts by its first element's keys, and an empty list
  (nothing fetched: the cache had it) matches any list.
- The missing-package error is compared whole: exception name, keys, message (the channel is the same for both).
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_conda_envs.core.process import run_bounded
from jupyterlab_conda_envs.create.cli_output import CliEvent, OutputParser
from jupyterlab_conda_envs.create.conda_cli import Tool, child_environ, create_argv

from .real_conda import conda_world_environ, exit_meant, require_real_conda

STAND_IN = Path(__file__).parent / "stand_in" / "conda"
Run = Callable[[Tool, list[str], bool], tuple[int, str]]


def _world(root: Path, live: str, tool: Tool) -> dict[str, Any]:
    root.mkdir()
    (root / "home").mkdir()
    condarc = root / "condarc"
    condarc.write_text(
        f"root_prefix: {root / 'root'}\nenvs_dirs: [{root / 'envs'}]\npkgs_dirs: [{root / 'pkgs'}]\n"
        "channels: []\nsolver: rattler\n",
        encoding="utf-8",
    )
    environ = child_environ(conda_world_environ(root / "home", condarc))

    def yml(name: str, *deps: str, first: str = "") -> str:
        path = root / f"{name}.yml"
        channels = "".join(f"  - {c}\n" for c in (first, live) if c)
        body = f"name: x\nchannels:\n{channels}dependencies:\n" + "".join(f"  - {d}\n" for d in deps)
        path.write_text(body, encoding="utf-8")
        return str(path)

    def run(args: list[str], terminal: bool = False) -> tuple[int, str, dict[str, Any] | None]:
        """(exit status, stdout with the world written `<world>`, the last JSON document or None)."""
        if terminal:
            code, out = _on_terminal(args, environ)
        else:
            done = run_bounded(args, 300, env=environ)
            assert not done.timed_out and done.returncode is not None
            code, out = done.returncode, done.stdout
        code = exit_meant(code, out)
        out = out.replace(str(root), "<world>")
        tail = out.rsplit("\0", 1)[-1].strip()  # the document comes after the last progress record
        document = json.loads(tail) if tail.startswith("{") else None
        return code, out, document

    return {"tool": tool, "yml": yml, "run": run, "prefix": str(root / "envs" / "p"), "environ": environ}


def _on_terminal(argv: list[str], environ: dict[str, str]) -> tuple[int, str]:
    """Run with a pseudo-terminal for stdout (conda's `is_tty` is true), as a person's shell would; CRLF undone."""
    fd, slave = pty.openpty()
    try:
        process = subprocess.Popen(argv, env=environ, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE)
    finally:
        os.close(slave)
    data = b""
    try:
        while select.select([fd], [], [], 120)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            data += chunk
        process.communicate(timeout=120)
    finally:
        os.close(fd)
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, data.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture
def worlds(tmp_path: Path, conda_root: dict[str, Any]) -> list[dict[str, Any]]:
    conda = require_real_conda()
    live = Path(conda_root["paths"]["live_channel"]).as_uri()
    return [
        _world(tmp_path / "real", live, Tool("conda", str(conda), None, "configured")),
        _world(tmp_path / "stand-in", live, Tool("conda", str(STAND_IN), None, "configured")),
    ]


def _events(out: str) -> list[CliEvent]:
    parser = OutputParser("conda")
    return parser.feed(out.encode()) + parser.close()


def _runs(events: list[CliEvent]) -> list[tuple[str, str | None]]:
    """(kind, phase) with consecutive repeats counted once; a result's or an error's message kept whole."""
    seen: list[tuple[str, str | None]] = []
    for e in events:
        item = (e.kind, e.phase if e.kind == "progress" else e.message or None)
        if not seen or seen[-1] != item:
            seen.append(item)
    return seen


def _keys(value: Any) -> Any:
    if isinstance(value, dict):
        return [(k, _keys(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_keys(value[0])] if value else "[]"
    return None


def _same_keys(a: Any, b: Any) -> bool:
    if a == "[]" or b == "[]":
        return True  # an empty list matches any list (see the module's notes)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = [(x, y) for x, y in zip(a, b, strict=True)]
        if all(isinstance(x, tuple) and isinstance(y, tuple) for x, y in pairs):
            return all(x[0] == y[0] and _same_keys(x[1], y[1]) for x, y in pairs)
        return all(_same_keys(x, y) for x, y in pairs)
    return bool(a == b)


def _both(worlds: list[dict[str, Any]], request: Callable[[dict[str, Any]], list[str]], terminal: bool = False) -> Any:
    """The request on real conda, then on the stand-in: [(exit status, stdout, document), ...]."""
    return [w["run"](request(w), terminal) for w in worlds]


def _create(name: str, *deps: str) -> Callable[[dict[str, Any]], list[str]]:
    def request(world: dict[str, Any]) -> list[str]:
        return create_argv(world["tool"], world["yml"](name, *deps), prefix=world["prefix"] + name)

    return request


def test_a_create_on_a_terminal_then_through_a_pipe(worlds: list[dict[str, Any]]) -> None:
    # On a terminal first: conda writes no record for a package already in its cache, and the second create has them.
    (real_code, real_out, real_doc), (code, out, doc) = _both(worlds, _create("t", "python", "pip"), terminal=True)
    assert (real_code, code) == (0, 0)
    assert (
        _runs(_events(out))
        == _runs(_events(real_out))
        == [
            ("progress", "download"),
            ("progress", "link"),
            ("result", _done("t")),
        ]
    )
    assert _same_keys(_keys(doc), _keys(real_doc)), (_keys(doc), _keys(real_doc))
    (real_code, real_out, real_doc), (code, out, doc) = _both(worlds, _create("a", "python", "pip"))
    assert (code, _runs(_events(out))) == (real_code, _runs(_events(real_out))) == (0, [("result", _done("a"))])
    assert _same_keys(_keys(doc), _keys(real_doc)), (_keys(doc), _keys(real_doc))
    assert list(doc) == list(real_doc) == ["success", "actions", "prefix"]  # not sorted, as conda builds it
    assert out.endswith("}") and real_out.endswith("}")  # no newline after the document


def _done(name: str) -> str:
    return f"Done: <world>/envs/p{name} (2 packages linked)"


def test_a_missing_package(worlds: list[dict[str, Any]]) -> None:
    (real_code, real_out, real_doc), (code, out, doc) = _both(worlds, _create("m", "python", "nosuchpkg"))
    assert (code, doc) == (real_code, real_doc) and code == 1
    assert doc["exception_name"] == "PackagesNotFoundInChannelsError"
    assert _events(out) == _events(real_out)
    assert out == real_out  # the whole document, byte for byte, and the blank line after it
    assert not any(Path(w["prefix"] + "m").exists() for w in worlds)


def test_create_over_an_existing_prefix_replaces_it(worlds: list[dict[str, Any]]) -> None:
    _both(worlds, _create("o", "python", "pip"))
    for world in worlds:
        prefix = Path(world["prefix"] + "o")
        (prefix / "mine.txt").write_text("mine\n", encoding="utf-8")
        (prefix / "conda-meta" / "frozen").write_text('{"message": "kept"}', encoding="utf-8")
    # Both packages named: the stand-in resolves no dependencies (conda brings pip with python).
    (real_code, real_out, real_doc), (code, out, doc) = _both(worlds, _create("o", "python", "pip"))
    assert (code, _runs(_events(out))) == (real_code, _runs(_events(real_out)))
    assert code == 0 and [e.kind for e in _events(out)] == ["result"]
    assert _same_keys(_keys(doc), _keys(real_doc))
    for world in worlds:  # replaced: what was there is gone, the frozen marker too
        prefix = Path(world["prefix"] + "o")
        assert (prefix / "conda-meta" / "history").is_file()
        assert not (prefix / "mine.txt").exists() and not (prefix / "conda-meta" / "frozen").exists()


def test_sigint_while_linking(worlds: list[dict[str, Any]], tmp_path: Path) -> None:
    """Real conda is held in its link phase by a post-link script (tests/real_conda_channels.py); the stand-in by its
    `partial` fault. The same SIGINT to each group: the same error document, exit 1. (Real conda rolls the new prefix
    back; the stand-in's fault leaves it, for the runner's cleanup tests: not compared.)"""
    from .real_conda_channels import sleeper_channel

    marker = tmp_path / "linking"
    channel = sleeper_channel(tmp_path / "sleepy", marker).as_uri()
    answers = []
    for world, mode in zip(worlds, ("", "partial"), strict=True):
        prefix = Path(world["prefix"] + "s")
        path = world["yml"]("s", "python", "pip", "sleeper", first=channel)
        environ = {**world["environ"], "STAND_IN_CONDA_MODE": mode or "ok"}
        argv = create_argv(world["tool"], path, prefix=str(prefix))
        process = subprocess.Popen(
            argv, env=environ, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, start_new_session=True
        )
        try:
            held = marker if not mode else prefix / "conda-meta" / "history"
            deadline = time.monotonic() + 60
            while not held.exists() or not held.read_text().strip():
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.02)
            os.killpg(process.pid, signal.SIGINT)
            out, _ = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        answers.append((process.returncode, json.loads(out)))
    assert answers[1] == answers[0]
    assert answers[0][0] == 1 and answers[0][1]["exception_name"] == "CondaMultiError"
    assert answers[0][1]["errors"][0]["exception_name"] == "CondaSignalInterrupt"

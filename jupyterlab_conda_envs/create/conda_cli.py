"""The conda CLIs (conda, mamba 1, mamba 2, micromamba): finding them, their argument lists, reading their output.

Pure building blocks for the job runner: nothing here starts a create or holds state beyond one `OutputParser`.
What each tool does was read from its sources (recorded again, as reconstructions, in tests/fixtures/conda_cli/):

Versions (`find_tools`). `conda --version` prints `conda 24.11.3` (argparse's version action; conda ≤ 4.x on
Python 2 printed it on stderr, so both streams are read). mamba 1 prints its own line first, then conda's:
`mamba 1.5.8` / `conda 24.1.2` (mamba-org/mamba mamba/mamba/mamba.py: `print("mamba {}".format(__version__))`
before handing `--version` to conda). mamba 2 and micromamba ≥ 1 print the bare version (`2.0.5`, `1.5.8`);
micromamba 0.x printed `micromamba: 0.7.0` / `libmamba: 0.7.0` (micromamba/src/umamba.cpp). A bare version is a
libmamba CLI: `mamba` with major ≥ 2 is mamba 2, anything else micromamba (the two share one CLI). `CONDA_EXE` is set
by conda's shell hook (`<root>/bin/conda`); `MAMBA_EXE` by `micromamba shell init` / `mamba shell init` (the binary);
`MAMBA_ROOT_PREFIX` is where micromamba puts `--name` environments (`$MAMBA_ROOT_PREFIX/envs`) and is not needed here
because the runner passes `--prefix`.

conda (and mamba 1, which runs conda's own `env create` with its solver: mamba/mamba/mamba_env.py).
- Progress in `--json` mode: one record per package and update, `{"fetch":"<desc>","finished":false,"maxval":1,
  "progress":0.250000}\\n\\0`, and when every package is fetched and extracted each bar's close writes
  `{"fetch":"<desc>","finished":true,"maxval":1,"progress":1}\\n\\0` (conda/common/io.py `ProgressBar.update_to` /
  `close` in json mode; conda/plugins/reporter_backends/json.py `JSONProgressBar` in conda ≥ 24.x: the same bytes).
  `<desc>` is `"%-20.20s | " % "<name>-<version>"` + `"%-9s | " % "<size>"` (conda/core/package_cache_data.py
  `ProgressiveFetchExtract._progress_bar`), written by string formatting, not JSON escaping. The bars are enabled
  only when `not context.verbosity and not context.quiet`: **`-q` turns the JSON progress off**, so it is never
  passed. Packages already in the cache and extracted get no record at all; the total is not announced.
- Spinners ("Solving environment", "Executing transaction") write nothing in JSON mode (`JSONSpinner`), prompts
  answer nothing (`JSONReporterRenderer.prompt`), so phases before the first record are silent.
- Result: `stdout_json_success(prefix=..., actions=...)` → `json.dumps(indent=2, sort_keys=True)` of
  `{"actions": {"FETCH": [...], "LINK": [...], "PREFIX": "...", "UNLINK": [...]}, "prefix": "...", "success": true}`
  (`conda/env/env.py print_result`, `conda/cli/common.py stdout_json_success`); `"message": "All requested packages
  already installed."` instead when nothing changed. Multi-line, after the last NUL.
- Errors: `print_conda_exception` writes `json.dumps(exc.dump_map(), indent=2, sort_keys=True)` to stdout when the
  error has a return code (all `CondaError`s: 1), exit status 1; keys `caused_by`, `error` (`"<Name>: <message>"`),
  `exception_name`, `exception_type`, `message` plus the error's own (conda/__init__.py `CondaError.dump_map`,
  conda/exceptions.py). A KeyboardInterrupt (SIGINT) is reported as `CondaError("KeyboardInterrupt")`, exit 1
  (conda/exception_handler.py).
- Existing prefix: `conda env create --yes` (formerly `--force`) deletes an existing prefix first
  (conda/cli/main_env_create.py: `if args.yes and ... prefix_data.exists(): rm_rf(prefix)`); without it conda
  < 25.5 refused with `CondaValueError: prefix already exists: <prefix>` (`check_prefix`), but conda 25.5 to 26.x
  replaces an existing environment *silently* (github.com/conda/conda/issues/15071; fixed by PR #16565, which also
  lets the `always_yes` setting authorize it). So `--yes`/`--force` are never passed, `child_environ` pins
  `always_yes` off, and the caller must refuse an existing prefix itself before starting: conda is no guard.
- `conda env update --file F --prefix P --prune --json` removes what the file does not ask for; same output shapes.

mamba 2 and micromamba (libmamba). `--json` collects everything into one object printed at the end with
`nlohmann::json::dump(4)` (sorted keys): `{"actions": {"FETCH": [...], "LINK": [...], "PREFIX": "..."},
"dry_run": false, "prefix": "...", "success": true}`, or `{"solver_problems": [...], "success": false}` when
unsolvable (libmamba src/api/install.cpp, src/core/transaction.cpp `log_json`, src/core/output.cpp). No progress is
written in JSON mode; errors go to stderr (`critical libmamba ...`), exit 1. **`-y` is not only a confirmation on
create**: an existing prefix with `conda-meta/` gets `Console::prompt("Found conda-prefix at '...'. Overwrite?",
'n')`, which `always_yes` answers yes, and then `fs::remove_all(prefix)` (libmamba src/api/create.cpp). So create runs
without `-y`: with stdin at EOF (the runner gives /dev/null) a prompt takes its fallback: `'n'` for the overwrite
("Aborting.", exit 1, nothing removed) and `'y'` for "Confirm changes" (src/core/output.cpp `Console::prompt`:
`getline` → empty → fallback). That prompt is written to stdout even in JSON mode, so stdout reads
`Confirm changes: [Y/n] {` + the JSON; the parser splits a prompt off a line. Update has no prefix removal, so it
gets `--yes`. micromamba < 1.0 read prompts with `cin.get()` and would loop at EOF: the runner's cancel ends it.

Progress heuristic (`OutputParser`): conda never announces how many packages it will fetch, so the download phase is
the summed progress of the packages seen so far over their number plus 5 (conda's default `fetch_threads`: about as
many as are in flight unseen), mapped into [0.05, 0.90]; it keeps rising as packages finish without reaching the end
early. The first `"finished": true` record means every package is fetched and extracted: phase "link" at 0.90. A
result is 1.0. Text lines (conda without --json, mamba 1, pip) move the phase: metadata 0.0, solve 0.02, download
0.05, link 0.90, pip 0.95. Reported fractions never go down.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..core.process import run_bounded
from ..core.urls import mask_text

ToolKind = Literal["conda", "mamba", "mamba2", "micromamba"]
EventKind = Literal["progress", "log", "result", "error"]

RECORD_MAX = 1024 * 1024  # one line or JSON document of a tool's stdout; larger ones are dropped
MESSAGE_MAX = 2000  # one log line as shown to the user
_VERSION_OUTPUT_MAX = 64 * 1024
_PATH_NAMES = ("conda", "mamba", "micromamba")


@dataclass(frozen=True)
class Tool:
    kind: ToolKind
    path: str  # absolute
    version: str | None
    source: str  # "configured", "CONDA_EXE", "MAMBA_EXE", "PATH"


@dataclass(frozen=True)
class CliEvent:
    kind: EventKind
    fraction: float | None = None  # 0..1 for progress (and 1.0 for a result)
    phase: str | None = None  # "metadata", "solve", "download", "link", "pip"
    message: str = ""


# --- finding the tools ---------------------------------------------------------------------------------------------

_MAMBA1_LINE = re.compile(r"^mamba\s+v?(\d[\w.+!-]*)\s*$", re.MULTILINE)
_CONDA_LINE = re.compile(r"^conda\s+v?(\d[\w.+!-]*)\s*$", re.MULTILINE)
_MICROMAMBA_OLD = re.compile(r"^micromamba:\s*v?(\d[\w.+-]*)\s*$", re.MULTILINE)
_BARE_VERSION = re.compile(r"^v?(\d+)(\.\d+[\w.+-]*)\s*$", re.MULTILINE)


def _runnable(path: str) -> bool:
    return os.path.isabs(path) and os.path.isfile(path) and os.access(path, os.X_OK)


def parse_version_output(path: str, output: str) -> tuple[ToolKind, str] | None:
    """(kind, version) from what `<path> --version` printed (stdout and stderr together); None when unrecognised."""
    name = os.path.basename(path).lower().removesuffix(".exe")
    found = _MAMBA1_LINE.search(output)
    if found:
        return "mamba", found.group(1)
    found = _MICROMAMBA_OLD.search(output)
    if found:
        return "micromamba", found.group(1)
    found = _CONDA_LINE.search(output)
    if found:
        return "conda", found.group(1)
    found = _BARE_VERSION.search(output)
    if not found:
        return None
    version = found.group(1) + found.group(2)
    if name.startswith("conda"):
        return "conda", version
    if "mamba" in name and "micromamba" not in name and int(found.group(1)) >= 2:
        return "mamba2", version
    return "micromamba", version


def _candidates(environ: Mapping[str, str], configured: str | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if configured:
        found.append((configured, "configured"))
    for variable in ("CONDA_EXE", "MAMBA_EXE"):
        value = environ.get(variable)
        if value:
            found.append((value, variable))
    # Only absolute PATH entries: an empty or relative entry means the server's working folder.
    folders = [d for d in environ.get("PATH", "").split(os.pathsep) if d and os.path.isabs(d)]
    for name in _PATH_NAMES:
        for folder in folders:
            path = os.path.join(folder, name)
            if _runnable(path):
                found.append((path, "PATH"))
                break
    return found


def find_tools(environ: Mapping[str, str], configured: str | None = None, *, timeout: float = 5.0) -> list[Tool]:
    """The conda CLIs usable here, in order: configured, CONDA_EXE, MAMBA_EXE, then PATH's conda, mamba, micromamba.

    Only absolute paths to executable regular files; one entry per real path. Each answers `--version` (run with
    `environ`, an argument list, `timeout` seconds at most, its process group ended after); a tool whose answer does
    not come, fails or is not recognised is left out, since it would not run a create either. Blocking: call it
    through `asyncio.to_thread`.
    """
    tools: list[Tool] = []
    seen: set[str] = set()
    for path, source in _candidates(environ, configured):
        if not _runnable(path):
            continue
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        try:
            done = run_bounded([path, "--version"], timeout, env=environ, limit=_VERSION_OUTPUT_MAX)
        except OSError:
            continue
        if done.timed_out or done.returncode != 0:
            continue
        parsed = parse_version_output(path, done.stdout + "\n" + done.stderr)
        if parsed is None:
            continue
        tools.append(Tool(kind=parsed[0], path=path, version=parsed[1], source=source))
    return tools


# --- argument lists ------------------------------------------------------------------------------------------------


def _check_path(path: str, what: str) -> None:
    if not path or not os.path.isabs(path) or "\0" in path:
        raise ValueError(f"{what} must be an absolute path: {path!r}")


def _target(name: str | None, prefix: str | None) -> list[str]:
    if (name is None) == (prefix is None):
        raise ValueError("exactly one of name and prefix is needed")
    if name is not None:
        # Validation happened before; this keeps a name from ever reading as an option or a path.
        if not name.strip() or name.startswith("-") or "/" in name or "\0" in name:
            raise ValueError(f"not an environment name: {name!r}")
        return ["--name", name]
    assert prefix is not None
    _check_path(prefix, "prefix")
    return ["--prefix", prefix]


def create_argv(tool: Tool, yml_path: str, *, name: str | None = None, prefix: str | None = None) -> list[str]:
    """Create an environment from `yml_path`: never `--yes`/`--force` (both can delete an existing prefix), never `-q`
    (it silences conda's JSON progress); `--json` everywhere. Run it with stdin at EOF (/dev/null)."""
    target = _target(name, prefix)
    _check_path(yml_path, "environment file")
    if tool.kind in ("conda", "mamba"):
        return [tool.path, "env", "create", "--file", yml_path, *target, "--json"]
    # mamba 2 / micromamba: `create --file` in every version (`env create` is a later alias of it).
    return [tool.path, "create", "--file", yml_path, *target, "--json"]


def update_argv(tool: Tool, yml_path: str, *, prefix: str, prune: bool) -> list[str]:
    """Update the environment at `prefix` from `yml_path`; `--prune` removes what the file does not ask for."""
    target = _target(None, prefix)
    _check_path(yml_path, "environment file")
    extra = ["--prune"] if prune else []
    if tool.kind in ("conda", "mamba"):
        return [tool.path, "env", "update", "--file", yml_path, *target, "--json", *extra]
    # No prefix removal on this path, so confirming is safe and keeps the run independent of stdin.
    return [tool.path, "env", "update", "--file", yml_path, *target, "--json", "--yes", *extra]


def child_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` for a create/update child with the `always_yes` setting pinned off (it is read from .condarc /
    .mambarc too, and would answer "remove the existing environment?" yes: conda ≥ PR #16565, libmamba create)."""
    env = {k: v for k, v in environ.items() if k not in ("CONDA_YES", "MAMBA_YES")}
    env["CONDA_ALWAYS_YES"] = "false"
    env["MAMBA_ALWAYS_YES"] = "false"
    return env


# --- output --------------------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(rb"[\n\0]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Interactive prompts that end without a newline (libmamba's "Confirm changes: [Y/n] ", conda's "(y/[n])? ").
_PROMPT = re.compile(r"(?:\[(?:Y/n|y/N|y/n)\]|\((?:y/\[n\]|\[y\]/n)\)\?)[ \t]*")
_DOWNLOAD_START, _LINK_START = 0.05, 0.90
# Packages assumed still to come while conda's bars are open: its default `fetch_threads`.
_UNSEEN_GUESS = 5
_TEXT_PHASES: tuple[tuple[str, str, float], ...] = (
    ("Collecting package metadata", "metadata", 0.0),
    ("Retrieving notices", "metadata", 0.0),
    ("Solving environment", "solve", 0.02),
    ("Downloading and Extracting Packages", "download", _DOWNLOAD_START),
    ("Preparing transaction", "link", _LINK_START),
    ("Verifying transaction", "link", _LINK_START),
    ("Executing transaction", "link", _LINK_START),
    ("Transaction starting", "link", _LINK_START),
    ("Installing pip dependencies", "pip", 0.95),
    ("Ran pip subprocess", "pip", 0.95),
)
_BAD = object()


def _cap(text: str, limit: int = MESSAGE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean(line: str) -> str:
    """A terminal's view of one line: the text after the last carriage return, without colour codes."""
    line = line.rstrip("\r")
    if "\r" in line:
        line = line.rsplit("\r", 1)[1]
    if "\x1b" in line:
        line = _ANSI.sub("", line)
    return line


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # malformed, or nested deeper than the interpreter's stack
        return _BAD


def _error_message(obj: dict[str, Any]) -> str | None:
    """The message of an error document (conda's `dump_map`, libmamba's `success: false`); None for others."""
    is_error = (
        "exception_name" in obj
        or "exception_type" in obj
        or obj.get("success") is False
        or ("error" in obj and "success" not in obj)
    )
    if not is_error:
        return None
    parts: list[str] = []
    name = obj.get("exception_name")
    message = obj.get("message")
    if isinstance(message, str) and message.strip():
        text = message.strip()
        parts.append(f"{name}: {text}" if isinstance(name, str) and name and not text.startswith(name) else text)
    errors = obj.get("errors")  # CondaMultiError
    if isinstance(errors, list):
        parts.extend(e["message"].strip() for e in errors if isinstance(e, dict) and isinstance(e.get("message"), str))
    problems = obj.get("solver_problems")
    if isinstance(problems, list) and problems:
        parts.append("Could not solve for environment specs")
        parts.extend(f"  {p}" for p in problems if isinstance(p, str))
    if not parts:
        error = obj.get("error")
        if isinstance(error, str) and error.strip():
            parts.append(error.strip())
        elif isinstance(name, str) and name:
            parts.append(name)
        else:
            parts.append("the tool reported a failure")
    return _cap(mask_text("\n".join(parts)), 8 * MESSAGE_MAX)


def _result_message(obj: dict[str, Any]) -> str:
    message = obj.get("message")
    if isinstance(message, str) and message.strip():
        return _cap(mask_text(message.strip()))
    actions = obj.get("actions")
    prefix = obj.get("prefix")
    if not isinstance(prefix, str) and isinstance(actions, dict):
        prefix = actions.get("PREFIX")
    linked = actions.get("LINK") if isinstance(actions, dict) else None
    text = "Done"
    if isinstance(prefix, str) and prefix:
        text += f": {prefix}"
    if isinstance(linked, list):
        text += f" ({len(linked)} package{'' if len(linked) == 1 else 's'} linked)"
    return _cap(mask_text(text))


class OutputParser:
    """Fed stdout bytes as they arrive (chunks split anywhere, NUL- or newline-separated JSON records, or plain text);
    returns events.

    A line with a complete JSON object is a record; a line that opens one (`{` alone, at the start of a line) starts
    a pretty-printed document (conda's `indent=2`, libmamba's `dump(4)`) that ends at the first unindented `}`. An
    unindented line of text inside a document, a NUL or the end of output means it was cut short: its lines become
    logs. Lines and documents over `RECORD_MAX` are dropped with a log event. Nothing raises.
    """

    def __init__(self, kind: ToolKind) -> None:
        self.kind = kind
        self._line = bytearray()
        self._dropping = False  # the current line passed RECORD_MAX: skip to the next separator
        self._doc: list[str] | None = None
        self._doc_size = 0
        self._skipping_doc = False  # the rest of a dropped document
        self._packages: dict[str, float] = {}
        self._fetch_done = False
        self._fraction = 0.0
        self._last: tuple[float, str | None] | None = None
        self._closed = False

    def feed(self, chunk: bytes) -> list[CliEvent]:
        events: list[CliEvent] = []
        if self._closed or not chunk:
            return events
        try:
            start = 0
            for sep in _SEPARATOR.finditer(chunk):
                self._take(chunk[start : sep.start()])
                self._end_line(events, record_end=sep.group() == b"\0")
                start = sep.end()
            self._take(chunk[start:])
        except Exception as exc:  # a parser bug must not end the job that feeds it
            self._reset()
            events.append(CliEvent("log", message=f"(output not understood: {type(exc).__name__})"))
        return events

    def close(self) -> list[CliEvent]:
        """Flush: a last line without newline is handled, a document still open is parsed or becomes logs."""
        events: list[CliEvent] = []
        if self._closed:
            return events
        try:
            if self._line or self._dropping:
                self._end_line(events, record_end=True)
            else:
                self._end_record(events)
        except Exception as exc:
            events.append(CliEvent("log", message=f"(output not understood: {type(exc).__name__})"))
        self._reset()
        self._closed = True
        return events

    # --- bytes to lines

    def _reset(self) -> None:
        self._line.clear()
        self._dropping = False
        self._doc = None
        self._doc_size = 0
        self._skipping_doc = False

    def _take(self, piece: bytes) -> None:
        if self._dropping or not piece:
            return
        if len(self._line) + len(piece) > RECORD_MAX:
            self._dropping = True
            self._line.clear()
            return
        self._line += piece

    def _end_line(self, events: list[CliEvent], *, record_end: bool) -> None:
        if self._dropping:
            self._dropping = False
            events.append(CliEvent("log", message=f"(an output line over {RECORD_MAX // 1024} KiB was dropped)"))
            if self._doc is not None:
                self._doc = None
                self._skipping_doc = True
        else:
            text = self._line.decode("utf-8", "replace")
            self._line.clear()
            self._handle_line(text, events)
        if record_end:
            self._end_record(events)

    def _end_record(self, events: list[CliEvent]) -> None:
        """A NUL (conda's record separator) or the end of output: nothing continues across it."""
        self._skipping_doc = False
        if self._doc is not None:
            doc, self._doc = self._doc, None
            self._doc_size = 0
            obj = _loads("\n".join(doc))
            if obj is _BAD:
                self._log_lines(doc, events)
            else:
                self._on_json(obj, doc[0], events)

    # --- lines to events

    def _handle_line(self, text: str, events: list[CliEvent]) -> None:
        line = _clean(text.replace("\0", ""))
        if self._skipping_doc:
            if not line or line[0] in " \t]}":
                if line.startswith("}"):
                    self._skipping_doc = False
                return
            self._skipping_doc = False
        if self._doc is not None:
            if not line or line[0] in " \t]}":
                self._doc.append(line)
                self._doc_size += len(line) + 1
                if self._doc_size > RECORD_MAX:
                    self._doc = None
                    self._doc_size = 0
                    self._skipping_doc = not line.startswith("}")
                    dropped = f"(a JSON document over {RECORD_MAX // 1024} KiB was dropped)"
                    events.append(CliEvent("log", message=dropped))
                elif line.startswith("}"):
                    self._end_record(events)
                return
            # Unindented text inside a document: it was cut short.
            doc, self._doc = self._doc, None
            self._doc_size = 0
            self._log_lines(doc, events)
        prompt = _PROMPT.search(line)
        if prompt and prompt.end() < len(line) and not line.startswith("{"):
            self._log(line[: prompt.end()], events)
            line = line[prompt.end() :]
        stripped = line.strip()
        if not stripped:
            return
        if stripped.startswith("{"):
            if stripped.endswith("}"):
                obj = _loads(stripped)
                if obj is not _BAD:
                    self._on_json(obj, stripped, events)
                    return
            elif line.startswith("{"):
                self._doc = [line]
                self._doc_size = len(line) + 1
                return
        self._log(line, events)

    def _log_lines(self, lines: list[str], events: list[CliEvent]) -> None:
        for line in lines:
            if line.strip():
                self._log(line, events)

    def _log(self, line: str, events: list[CliEvent]) -> None:
        line = line.rstrip()
        if not line.strip():
            return
        start = line.lstrip()
        for marker, phase, floor in _TEXT_PHASES:
            if start.startswith(marker):
                self._progress(floor, phase, "", events)
                break
        events.append(CliEvent("log", message=_cap(mask_text(line))))

    def _on_json(self, obj: Any, raw: str, events: list[CliEvent]) -> None:
        if not isinstance(obj, dict):
            self._log(raw, events)
            return
        if "fetch" in obj:
            self._on_fetch(obj, events)
            return
        error = _error_message(obj)
        if error is not None:
            events.append(CliEvent("error", message=error))
            return
        if obj.get("success") is True:
            self._fraction = 1.0
            events.append(CliEvent("result", fraction=1.0, message=_result_message(obj)))
            return
        self._log(json.dumps(obj, sort_keys=True, separators=(",", ":")), events)

    def _on_fetch(self, obj: dict[str, Any], events: list[CliEvent]) -> None:
        description = obj.get("fetch")
        name = description.split("|", 1)[0].strip() if isinstance(description, str) else ""
        name = name or "package"
        try:
            progress = float(obj.get("progress", 0.0))
        except (TypeError, ValueError):
            progress = 0.0
        if not math.isfinite(progress):
            progress = 0.0
        finished = obj.get("finished") is True
        progress = 1.0 if finished else min(max(progress, 0.0), 1.0)
        if self._fetch_done:
            if finished or name in self._packages:
                return
            # A new package after the bars closed: a second transaction (create_default_packages, then the file).
            self._packages.clear()
            self._fetch_done = False
        self._packages[name] = max(self._packages.get(name, 0.0), progress)
        if finished:
            # conda closes the bars only once every package is fetched and extracted: linking comes next.
            self._fetch_done = True
            self._progress(_LINK_START, "link", "", events)
            return
        done = sum(self._packages.values()) / (len(self._packages) + _UNSEEN_GUESS)
        self._progress(_DOWNLOAD_START + (_LINK_START - _DOWNLOAD_START) * done, "download", name, events)

    def _progress(self, fraction: float, phase: str | None, message: str, events: list[CliEvent]) -> None:
        fraction = max(self._fraction, min(fraction, 1.0))
        key = (round(fraction, 3), phase)
        if key == self._last:
            return
        self._fraction = fraction
        self._last = key
        events.append(CliEvent("progress", fraction=fraction, phase=phase, message=_cap(mask_text(message))))


def trimmed_stderr(text: str, limit: int = 4000) -> str:
    """The last lines of `text` that fit in `limit` characters, secrets masked, colour codes and blank ends removed;
    `…` marks a cut."""
    if limit <= 0:
        return ""
    text = _ANSI.sub("", mask_text(text.replace("\0", "")))
    lines = [_clean(line).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    whole = "\n".join(lines)
    if len(whole) <= limit:
        return whole
    if limit <= 2:
        return whole[-limit:]
    budget = limit - 2  # room for the "…\n" marker
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        cost = len(line) + (1 if kept else 0)
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    if not kept:
        return "…" + lines[-1][-(limit - 1) :]
    return "…\n" + "\n".join(reversed(kept))

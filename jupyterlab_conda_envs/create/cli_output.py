"""Reading a conda CLI's output as it streams: progress, log lines, the result and the error (the shapes each tool
writes are recorded in `conda_cli`'s notes and tests/fixtures/conda_cli/).

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
import re
from dataclasses import dataclass
from typing import Any, Literal

from ..core.urls import mask_text
from .conda_cli import ToolKind

EventKind = Literal["progress", "log", "result", "error"]

RECORD_MAX = 1024 * 1024  # one line or JSON document of a tool's stdout; larger ones are dropped
MESSAGE_MAX = 2000  # one log line as shown to the user


@dataclass(frozen=True)
class CliEvent:
    kind: EventKind
    fraction: float | None = None  # 0..1 for progress (and 1.0 for a result)
    phase: str | None = None  # "metadata", "solve", "download", "link", "pip"
    message: str = ""


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

"""What the rattler backend hands its caller: progress and log events, the error a user reads, and the forwarder
that scales the conda part's progress into the whole create's.

A module of its own because the orchestration (`backend`), the channel mapping (`channels`) and the pip step (`pip`)
 all report or fail through these, and none of them should import another for that.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ...core.urls import mask_text

# Share of the overall fraction taken by the conda part (solve, download, link) when pip lines follow.
CONDA_SHARE_WITH_PIP = 0.9
CONDA_SHARE = 0.99
# What an error message keeps of a tool's output.
TAIL_LINES = 40
MAX_MESSAGE = 4000


@dataclass(frozen=True)
class RattlerEvent:
    kind: Literal["progress", "log"]
    fraction: float | None = None
    phase: str | None = None  # "solve", "download", "link", "pip"
    message: str = ""


class RattlerCreateError(Exception):
    """A create that failed for a reason the user should read (solver, download, pip); nothing is left behind."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Progress:
    """Forwards events, scaling the conda part into [0, share] and never letting the fraction go back."""

    def __init__(self, on_event: Callable[[RattlerEvent], None], share: float) -> None:
        self._on_event = on_event
        self.share = share
        self.fraction = 0.0
        self.phase: str | None = None

    def emit(self, event: RattlerEvent) -> None:
        if event.kind == "progress":
            self.fraction = max(self.fraction, event.fraction if event.fraction is not None else 0.0)
            self.phase = event.phase or self.phase
            event = RattlerEvent("progress", self.fraction, self.phase, event.message)
        self._on_event(RattlerEvent(event.kind, event.fraction, event.phase, mask_text(event.message)))

    def child(self, fraction: float | None, phase: str | None, message: str) -> None:
        scaled = None if fraction is None else self.share * min(max(fraction, 0.0), 1.0)
        self.emit(RattlerEvent("progress", scaled, phase, message))

    def log(self, message: str, phase: str | None = None) -> None:
        self.emit(RattlerEvent("log", None, phase or self.phase, message))


def tail_text(lines: deque[str]) -> str:
    """The last lines of a tool's output as an error message: blank lines dropped, cut, secrets masked."""
    text = "\n".join(line.rstrip() for line in lines if line.strip())
    return mask_text(text[-MAX_MESSAGE:])

"""Turn a validated create (or update) plan into a job: which tool runs, where the environment goes, and the work.

The environment file a conda CLI reads is the plan's own rendering (never the user's bytes), written into a private
temporary folder under a name the server picks; the tool gets an argument list, never a shell.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..core.ids import env_id
from ..environments.frozen import refusal
from ..jobs.prefix_lock import prefix_lock
from ..jobs.runner import JobContext, Work
from .builtin.backend import RattlerEvent, create_with_rattler, rattler_available
from .cli_output import CliEvent, OutputParser, trimmed_stderr
from .conda_cli import Tool, child_environ, create_argv, update_argv
from .validation import CreatePlan

BackendKind = Literal["conda", "mamba", "mamba2", "micromamba", "rattler"]
BACKEND_CHOICES = ("auto", "conda", "mamba", "mamba2", "micromamba", "rattler")
# stderr kept for the failure message: the tail is what says why.
_STDERR_KEEP = 64 * 1024


class NoBackend(LookupError):
    """Nothing here can create environments (503)."""


class NoTarget(LookupError):
    """No folder to create the environment in is writable (409)."""


@dataclass(frozen=True)
class Backend:
    kind: BackendKind
    tool: Tool | None  # None for the built-in rattler backend

    @property
    def label(self) -> str:
        return self.kind if self.tool is None else f"{self.kind} ({self.tool.path})"

    @property
    def title(self) -> str:
        """What a person picks from: the tool and its version (mamba 2 calls itself `mamba`)."""
        if self.tool is None:
            return "built-in (py-rattler)"
        name = "mamba" if self.kind == "mamba2" else self.kind
        return f"{name} {self.tool.version}" if self.tool.version else name


def choose_backend(tools: Sequence[Tool], requested: str, *, update: bool = False) -> Backend:
    """The configured or requested backend, else the first conda CLI found, else rattler (creates only)."""
    if requested not in BACKEND_CHOICES:
        raise NoBackend(f"unknown backend {requested!r}")
    if requested in ("auto", "rattler") and (requested == "rattler" or not tools):
        if update:
            raise NoBackend("updating an environment needs conda, mamba or micromamba, and none was found")
        if not rattler_available():
            raise NoBackend("conda not found (no conda, mamba or micromamba, and py-rattler is not installed)")
        return Backend("rattler", None)
    for tool in tools:
        if requested in ("auto", tool.kind):
            return Backend(tool.kind, tool)
    raise NoBackend(f"{requested} not found")


def backend_choices(tools: Sequence[Tool], allowed: Sequence[str], *, update: bool = False) -> list[Backend]:
    """What a client may pick where the configuration says `auto`: each `allowed` kind of tool found, once (the
    first, as `choose_backend` would take it), then the built-in backend for creates when allowed and installed.

    Where anything is allowed, the first tool found leads the list whether allowed or not: it is what `auto` runs
    anyway, and the list then always holds the default."""
    if not allowed:
        return []
    choices: list[Backend] = []
    for index, tool in enumerate(tools):
        if (index == 0 or tool.kind in allowed) and all(c.kind != tool.kind for c in choices):
            choices.append(Backend(tool.kind, tool))
    if not update and "rattler" in allowed and rattler_available():
        choices.append(Backend("rattler", None))
    return choices


def target_prefix(create_dirs: Sequence[str], name: str) -> str:
    """Where a new environment `name` goes: the first of conda's envs folders that is (or can be made) writable."""
    for folder in create_dirs:
        if _writable_folder(folder):
            return os.path.join(os.path.realpath(folder), name)
    raise NoTarget("none of the environments folders is writable: " + ", ".join(create_dirs))


def _writable_folder(folder: str) -> bool:
    """The folder is writable, or the nearest existing folder above it is (conda makes the rest: `mkdir -p`)."""
    current = os.path.normpath(folder)
    while not os.path.isdir(current):
        parent = os.path.dirname(current)
        if parent == current or os.path.lexists(current):
            return False  # the root, or a file in the way
        current = parent
    return os.access(current, os.W_OK | os.X_OK)


def cli_work(
    plan: CreatePlan,
    backend: Backend,
    prefix: str,
    *,
    environ: Mapping[str, str],
    update: bool = False,
    prune: bool = False,
) -> Work:
    tool = backend.tool
    if tool is None:
        raise NoBackend("a conda CLI backend needs its tool")

    async def work(ctx: JobContext) -> str | None:
        with prefix_lock(ctx, prefix):
            _refuse_frozen(ctx, prefix)
            return await run(ctx)

    async def run(ctx: JobContext) -> str | None:
        folder = tempfile.mkdtemp(prefix="conda-envs-")
        try:
            path = os.path.join(folder, "environment.yml")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(plan.yaml_text)
            if update:
                argv = update_argv(tool, path, prefix=prefix, prune=prune)
            else:
                argv = create_argv(tool, path, prefix=prefix)
            ctx.log("$ " + " ".join(argv))
            parser = OutputParser(tool.kind)
            state = _CliState()
            stderr = bytearray()

            def on_stdout(chunk: bytes) -> None:
                for event in parser.feed(chunk):
                    state.handle(ctx, event)

            def on_stderr(chunk: bytes) -> None:
                stderr.extend(chunk)
                del stderr[:-_STDERR_KEEP]

            if not update and os.path.lexists(prefix):
                # conda >= 25.5 replaces an existing environment without asking: never hand it one. Someone else
                # made it since the job started: it is theirs, and the cleanup must leave it.
                ctx.job.existed_before = True
                raise FileExistsError(f"{prefix} exists; it was not changed")
            # `always_yes` in a .condarc must not answer "replace the existing environment?" for us.
            env = child_environ(environ)
            # conda writes its progress records only to a terminal (through a pipe: nothing until the result), so
            # its stdout is one; the other tools are run as their recordings were made, through a pipe.
            terminal = tool.kind == "conda"
            code = await ctx.run(argv, env=env, cwd=folder, on_stdout=on_stdout, on_stderr=on_stderr, terminal=terminal)
            for event in parser.close():
                state.handle(ctx, event)
            if code != 0 or state.error or not state.succeeded:
                detail = state.error or trimmed_stderr(stderr.decode("utf-8", "replace"))
                raise RuntimeError(detail or f"{tool.kind} exited with status {code} without reporting a result")
            return env_id(os.path.realpath(prefix))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return work


class EnvironmentFrozen(PermissionError):
    """The prefix is frozen (CEP 22); the message is conda's own `EnvironmentIsFrozenError` text."""


def _refuse_frozen(ctx: JobContext, prefix: str) -> None:
    """Checked under the prefix's lock, before any process: the route checked too, but a marker can appear while a
    job waits its turn. Nothing is touched, and the prefix is someone else's: the cleanup must leave it."""
    message = refusal(prefix)
    if message is not None:
        ctx.job.existed_before = True
        raise EnvironmentFrozen(message)


class _CliState:
    def __init__(self) -> None:
        self.succeeded = False
        self.error = ""
        self._seen: set[str] = set()
        self._phase: str | None = None

    def handle(self, ctx: JobContext, event: CliEvent) -> None:
        if event.kind == "progress":
            ctx.progress(event.fraction, event.phase)
            # The log gets each phase and each package once; the bar gets every record.
            if event.phase and event.phase != self._phase:
                self._phase = event.phase
                ctx.log(f"[{event.phase}]")
            if event.message and event.message not in self._seen:
                self._seen.add(event.message)
                ctx.log(event.message)
        elif event.kind == "result":
            self.succeeded = True
            if event.message:
                ctx.log(event.message)
        elif event.kind == "error":
            self.error = event.message
            ctx.log(event.message)
        elif event.message:
            ctx.log(event.message)


def rattler_work(
    plan: CreatePlan,
    prefix: str,
    *,
    cache_dir: str,
    channels: Sequence[str] | None = None,
    pip_env: Mapping[str, str] | None = None,
    virtual_packages: Sequence[tuple[str, str, str]] | None = None,
) -> Work:
    async def work(ctx: JobContext) -> str | None:
        def on_event(event: RattlerEvent) -> None:
            if event.kind == "progress":
                ctx.progress(event.fraction, event.phase)
            if event.message:
                ctx.log(event.message)

        with prefix_lock(ctx, prefix):
            _refuse_frozen(ctx, prefix)
            await create_with_rattler(
                prefix,
                channels if channels is not None else plan.channels,
                plan.conda,
                plan.pip,
                on_event=on_event,
                cache_dir=cache_dir,
                virtual_packages=virtual_packages,
                pip_env=pip_env,
            )
        return env_id(os.path.realpath(prefix))

    return work

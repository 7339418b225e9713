"""The conda CLIs (conda, mamba 1, mamba 2, micromamba): finding them and their argument lists.

Their output is read by `cli_output`.

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
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..core.process import run_bounded, without_server_python

ToolKind = Literal["conda", "mamba", "mamba2", "micromamba"]

_VERSION_OUTPUT_MAX = 64 * 1024
_PATH_NAMES = ("conda", "mamba", "micromamba")


@dataclass(frozen=True)
class Tool:
    kind: ToolKind
    path: str  # absolute
    version: str | None
    source: str  # "configured", "CONDA_EXE", "MAMBA_EXE", "PATH"


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
            done = run_bounded(
                [path, "--version"], timeout, env=without_server_python(environ), limit=_VERSION_OUTPUT_MAX
            )
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
    .mambarc too, and would answer "remove the existing environment?" yes: conda ≥ PR #16565, libmamba create).
    Without the server's Python paths (`without_server_python`)."""
    dropped = ("CONDA_YES", "MAMBA_YES")
    env = {k: v for k, v in without_server_python(environ).items() if k not in dropped}
    env["CONDA_ALWAYS_YES"] = "false"
    env["MAMBA_ALWAYS_YES"] = "false"
    return env

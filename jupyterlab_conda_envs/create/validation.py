"""A request to create an environment from an environment.yml, checked before any process starts.

`plan_create` turns the untrusted file (an upload or a workspace file) into a `CreatePlan`: the target name, the
channels, the conda specs, the pip lines and the variables, every line checked, plus the environment.yml a conda CLI
is given, rewritten here so that it says exactly what was checked and nothing else (no `prefix:`, no unknown keys,
one `pip:` list, variables as text). Pure: no files are read and no process is started.

What the file may do that the user has to see and accept (`Risk`): pip lines that install from somewhere other than
the package index by name (another index, an editable or local folder, a VCS repository, a URL, another requirements
file, pip options) and channels other than the usual ones. Each is refused unless its kind is in `allow`.

Environment names follow conda (`conda/base/constants.py`: `PREFIX_NAME_DISALLOWED_CHARS = {"/", " ", ":", "#"}`,
`RESERVED_ENV_NAMES = ("base", "root")`, checked by `PrefixData.validate_name` in `conda/core/prefix_data.py`) and
refuse more, because the name becomes a folder and a command-line argument: a leading `-` (`-h`, `--prefix=/x`),
`.`/`..`, backslashes, `;` (the Windows path separator, which conda refuses in prefixes), `$` and a leading `~` (the
prefix may go through `expandvars`/`expanduser`), characters Windows refuses in file names (`*?"<>|`), anything
not printable (controls, NUL, bidi and zero-width marks), surrounding whitespace, and more than 255 bytes (a file
name's limit). Letters outside ASCII are fine.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Union, cast

from ..core.urls import KNOWN_SUBDIRS, mask_text
from ..export.environment_yaml import SpecError, SpecTooLarge, load_environment_yaml, variable_text
from ..export.render import yaml_scalar
from ..export.spec_entries import PIP_COMMENT, conda_entry, quoted
from .risks import RISK_KINDS, RISK_MESSAGES, CreateError, Risk, RiskKind, pip_kind, pip_name

MAX_BYTES = 1 << 20
MAX_CONDA_SPECS = 2000
MAX_PIP_LINES = 1000
MAX_LINE = 4096  # one spec, pip line or channel
MAX_VARIABLES = 1000
MAX_VARIABLE_VALUE = 32_768
MAX_NAME_BYTES = 255  # NAME_MAX: the name is a folder under envs/

RESERVED_NAMES = frozenset({"base", "root"})  # conda's RESERVED_ENV_NAMES
# conda's PREFIX_NAME_DISALLOWED_CHARS, then what we refuse as well (see the module docstring).
CONDA_DISALLOWED_CHARS = frozenset("/ :#")
DISALLOWED_NAME_CHARS = CONDA_DISALLOWED_CHARS | frozenset('\\;$*?"<>|`')

# Channels needing no opt-in: conda's own defaults (Anaconda's `pkgs/main`, `pkgs/r`, `pkgs/msys2`, named as a
# group `defaults`), `nodefaults`, conda-forge, and the channels PyTorch and NVIDIA publish GPU builds to. Every other
# channel, any URL and any local path can serve anything under a familiar package name and needs an opt-in.
KNOWN_CHANNELS = frozenset(
    {"defaults", "nodefaults", "conda-forge", "pkgs/main", "pkgs/r", "pkgs/msys2", "pytorch", "nvidia"}
)

_ENV_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACKET_SOURCE = re.compile(r"\[[^\]]*\b(?:url|fn)\s*=", re.IGNORECASE)
_BRACKET_CHANNEL = re.compile(r"\[[^\]]*\bchannel\s*=\s*('[^']*'|\"[^\"]*\"|[^,\]]*)", re.IGNORECASE)


@dataclass(frozen=True)
class CreatePlan:
    name: str
    channels: list[str]  # as written, in order: the real values, needed to install
    display_channels: list[str]  # the same with secrets masked
    conda: list[str]  # specs in file order, then `pip` and `ipykernel` when added
    pip: list[str]  # pip lines as written (blank and comment-only lines left out)
    variables: dict[str, str]
    risks: list[Risk]  # every risk found, allowed or not
    # the environment.yml handed to the conda CLI. Like `channels`, `conda` and `pip` it holds the real URLs with
    # their secrets: never send it to the browser (show `display_channels` and `Risk.items`, or mask with
    # `urls.mask_text`).
    yaml_text: str


def check_env_name(name: object) -> str:
    """`name` when conda (and every backend) can take it as an environment name; CreateError(400) otherwise."""
    if not isinstance(name, str):
        raise CreateError("The environment name must be text.", where="name")
    if not name.strip():
        raise CreateError("The environment name is empty.", where="name")
    shown = mask_text(name[:60])  # shown with !r, which escapes what does not print
    if name != name.strip():
        raise CreateError(f"The environment name {shown!r} starts or ends with whitespace.", where="name")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise CreateError(f"The environment name is longer than {MAX_NAME_BYTES} bytes.", where="name")
    if name in (".", ".."):
        raise CreateError(f"{name!r} is not an environment name.", where="name")
    if name.startswith("-"):
        raise CreateError(f"The environment name {shown!r} may not start with '-'.", where="name")
    if name.startswith("~"):
        raise CreateError(f"The environment name {shown!r} may not start with '~'.", where="name")
    if name in RESERVED_NAMES:
        raise CreateError(f"{name!r} is a reserved environment name.", where="name")
    bad = sorted({c for c in name if c in DISALLOWED_NAME_CHARS or not c.isprintable()})
    if bad:
        listed = " ".join(repr(c) for c in bad)
        raise CreateError(f"The environment name {shown!r} contains characters not allowed: {listed}.", where="name")
    return name


def plan_create(
    data: bytes,
    *,
    name: str | None = None,
    add_ipykernel: bool = True,
    allow: Collection[str] = (),
    max_bytes: int = MAX_BYTES,
) -> CreatePlan:
    """The checked plan for creating an environment from `data` (an environment.yml); CreateError when the file
    cannot be used or has risks whose kinds are not in `allow`. `name`, when given, overrides the file's `name:`."""
    unknown = sorted(str(kind)[:40] for kind in allow if kind not in RISK_KINDS)
    if unknown:
        raise CreateError(f"Unknown risk kinds to allow: {', '.join(unknown)}.", where="allow")
    try:
        document = load_environment_yaml(data, max_bytes=max_bytes)
    except SpecTooLarge as exc:
        raise CreateError(str(exc), status=413) from None
    except SpecError as exc:
        raise CreateError(str(exc)) from None

    # `prefix:` is never read: the target is always chosen from the name.
    chosen = name if name is not None else document.get("name")
    if chosen is None:
        raise CreateError("The file has no `name:`; give the environment a name.", where="name")
    env_name = check_env_name(chosen)

    risks: dict[RiskKind, list[str]] = {}
    channels = _channels(cast(Union[list[str], None], document.get("channels")) or [], risks)
    conda, pip = _dependencies(cast(Union[list[object], None], document.get("dependencies")) or [], risks)
    variables = _variables(cast(Union[dict[str, object], None], document.get("variables")) or {})

    conda_names = {_conda_name(spec) for spec in conda}
    if pip and "pip" not in conda_names:
        conda.append("pip")
    if add_ipykernel and "ipykernel" not in conda_names and "ipykernel" not in {pip_name(line) for line in pip}:
        conda.append("ipykernel")

    found = [Risk(kind, risks[kind], _message(kind, risks[kind])) for kind in RISK_KINDS if kind in risks]
    needs = [risk.kind for risk in found if risk.kind not in allow]
    if needs:
        needs.sort()
        raise CreateError(
            "The file needs an explicit opt-in for: " + "; ".join(_describe(r) for r in found if r.kind in needs),
            needs=needs,
        )
    return CreatePlan(
        name=env_name,
        channels=channels,
        display_channels=[mask_text(channel) for channel in channels],
        conda=conda,
        pip=pip,
        variables=variables,
        risks=found,
        yaml_text=_yaml_text(env_name, channels, conda, pip, variables),
    )


# --- the parts of the file ---------------------------------------------------------------------------------


def _check_line(text: str, where: str) -> None:
    if len(text) > MAX_LINE:
        raise CreateError(f"{where}: longer than {MAX_LINE:,} characters.", where=where)
    if any(not c.isprintable() for c in text):
        raise CreateError(f"{where}: contains a control or other non-printable character.", where=where)


def _channels(channels: list[str], risks: dict[RiskKind, list[str]]) -> list[str]:
    for index, channel in enumerate(channels):
        where = f"channels[{index}]"
        _check_line(channel, where)
        if not channel or any(c.isspace() for c in channel):
            raise CreateError(f"{where}: a channel is one word, without spaces.", where=where)
        if channel.startswith("-"):
            raise CreateError(f"{where}: a channel may not start with '-'.", where=where)
        _channel_risk(channel, risks)
    return list(channels)


def _channel_risk(channel: str, risks: dict[RiskKind, list[str]]) -> None:
    if channel.rstrip("/") not in KNOWN_CHANNELS:
        shown = mask_text(channel)
        items = risks.setdefault("channel", [])
        if shown not in items:
            items.append(shown)


def _dependencies(items: list[object], risks: dict[RiskKind, list[str]]) -> tuple[list[str], list[str]]:
    conda: list[str] = []
    pip: list[str] = []
    pip_count = 0
    for index, item in enumerate(items):
        where = f"dependencies[{index}]"
        if isinstance(item, str):
            conda.append(_conda_spec(item, where, risks))
            if len(conda) > MAX_CONDA_SPECS:
                raise CreateError(f"More than {MAX_CONDA_SPECS:,} conda dependencies.", where="dependencies")
            continue
        # load_environment_yaml allows only text and `{pip: [text]}` here
        lines = cast(Union[list[str], None], cast(dict[str, object], item)["pip"]) or []
        for pip_index, line in enumerate(lines):
            pip_count += 1
            if pip_count > MAX_PIP_LINES:
                raise CreateError(f"More than {MAX_PIP_LINES:,} pip lines.", where=f"{where}.pip")
            if _pip_line(line, f"{where}.pip[{pip_index}]", risks):
                pip.append(line)
    return conda, pip


def _conda_spec(text: str, where: str, risks: dict[RiskKind, list[str]]) -> str:
    _check_line(text, where)
    spec = text.strip()
    if spec.startswith("-"):
        raise CreateError(f"{where}: a conda spec may not start with '-'.", where=where)
    entry = conda_entry(spec)
    if entry is None:
        raise CreateError(f"{where}: {quoted(mask_text(spec))} is not a conda package spec.", where=where)
    if _BRACKET_SOURCE.search(spec):
        # `name[url=…]` / `[fn=…]` name one archive to fetch: a channel's packages with none of its checks.
        raise CreateError(f"{where}: a spec may not name a package file (url=, fn=).", where=where)
    for channel in _spec_channels(spec):
        _channel_risk(channel, risks)
    return spec


def _spec_channels(spec: str) -> list[str]:
    """Every channel a spec names (`chan::name`, `chan/linux-64::name`, and any `[channel=chan]`: conda lets the
    bracket win over the prefix, so both are checked), as written, minus a platform subdir."""
    found: list[str] = []
    separator, bracket = spec.find("::"), spec.find("[")
    if separator != -1 and (bracket == -1 or separator < bracket):
        found.append(spec[:separator].strip())
    found.extend(m.group(1).strip().strip("'\"").strip() for m in _BRACKET_CHANNEL.finditer(spec))
    out = []
    for channel in found:
        head, _, last = channel.rstrip("/").rpartition("/")
        out.append(head if head and last in KNOWN_SUBDIRS else channel)
    return out


def _conda_name(spec: str) -> str:
    entry = conda_entry(spec)
    return entry.normalized_name if entry is not None else ""


def _pip_line(line: str, where: str, risks: dict[RiskKind, list[str]]) -> bool:
    """Check one pip line and record its risk; False for a blank or comment-only line."""
    _check_line(line, where)
    if "${" in line:
        # pip expands `${NAME}` from the environment of the server; its error messages would then show the value.
        raise CreateError(f"{where}: environment variables (${{…}}) are not allowed in pip lines.", where=where)
    text = PIP_COMMENT.sub("", line).strip()
    if not text:
        return False
    if text.endswith("\\"):
        # pip would join the next line to this one, so the line checked would not be the line installed
        raise CreateError(f"{where}: a pip line may not end with a backslash.", where=where)
    kind = pip_kind(text, where)
    if kind is not None:
        risks.setdefault(kind, []).append(mask_text(line.strip()))
    return True


def _variables(variables: dict[str, object]) -> dict[str, str]:
    if len(variables) > MAX_VARIABLES:
        raise CreateError(f"More than {MAX_VARIABLES:,} variables.", where="variables")
    result: dict[str, str] = {}
    for key, value in variables.items():
        where = f"variables.{key[:40]}"
        if not _ENV_VAR.fullmatch(key):
            raise CreateError(
                f"variables: {quoted(key)} is not an environment variable name (letters, digits, _).", where=where
            )
        text = variable_text(value)
        if "\0" in text:
            raise CreateError(f"{where}: contains a NUL character.", where=where)
        if len(text) > MAX_VARIABLE_VALUE:
            raise CreateError(f"{where}: longer than {MAX_VARIABLE_VALUE:,} characters.", where=where)
        result[key] = text
    return result


# --- output ------------------------------------------------------------------------------------------------


def _yaml_text(name: str, channels: list[str], conda: list[str], pip: list[str], variables: dict[str, str]) -> str:
    """conda's environment.yml layout, each scalar through `yaml_scalar`; empty sections left out (`dependencies`
    is always written)."""
    out = [f"name: {yaml_scalar(name)}"]
    if channels:
        out.append("channels:")
        out.extend(f"  - {yaml_scalar(channel)}" for channel in channels)
    if conda or pip:
        out.append("dependencies:")
        out.extend(f"  - {yaml_scalar(spec)}" for spec in conda)
        if pip:
            out.append("  - pip:")
            out.extend(f"      - {yaml_scalar(line)}" for line in pip)
    else:
        out.append("dependencies: []")
    if variables:
        out.append("variables:")
        out.extend(f"  {yaml_scalar(key)}: {yaml_scalar(value)}" for key, value in variables.items())
    return "\n".join(out) + "\n"


def _message(kind: RiskKind, items: list[str]) -> str:
    message = RISK_MESSAGES[kind]
    if any("$" in item for item in items):
        message += "; `$` names an environment variable of the server, which the tool fills in"
    return message + "."


def _describe(risk: Risk) -> str:
    shown = ", ".join(quoted(item) for item in risk.items[:5])
    more = f" and {len(risk.items) - 5} more" if len(risk.items) > 5 else ""
    return f"{risk.kind} ({shown}{more})"

"""An environment rendered as a file that recreates it, from its records alone (no conda process).

Modes (`GET /conda-envs/environments/{id}/export?mode=...`):

- `full`: what `conda env export` writes: `name:`, `channels:`, `name=version=build` for every conda record sorted
  by name, and a `- pip:` list with every distribution pip installed.
- `no-builds`: the same with `name=version` (`conda env export --no-builds`).
- `history`: the specs the user asked for (`conda env export --from-history`), replayed from `conda-meta/history`
  (see `history_specs.py`) and kept only for names still installed, in the order first asked for and spelled as
  conda 26 spells them (`conda_forms.env_form`), as conda does. Unlike conda (conda#9628) the
  `pip:` list is kept, and `pip` is added to the specs when pip packages exist and no spec names it, so that conda
  can run that list. Where the history names no specs (pixi and other rattler-made prefixes), the records'
  `requested_spec` is used; where no record has one either, the leaves of the dependency graph (conda packages no
  other installed package depends on) plus `python`, as `name=version`: what a user most likely asked for, pinned
  to what is installed because nothing says which versions they wanted.
- `explicit`: conda's `@EXPLICIT` list (`conda list --explicit --md5`, in conda's link order, `conda_forms.py`): one
  archive URL per line with `#<md5>`, or
  `#sha256:<hex>` when the record has only a sha256: accepted by conda >= 24.9 (conda#14048) and by rattler
  (pixi); older conda refuses such a line, but records without md5 come from tools newer than that anyway.
  pip distributions are comment lines (`# pip name==version`), which conda and rattler skip, so the list still says
  what it does not install; so are records without a URL.
- `requirements`: `conda export --format requirements` (CEP 23): `channel::name==version=build` per record, sorted
  by name, after conda's header; pip distributions as `# pip` comments (conda leaves them out).

pip distributions are written as pip takes them back: `name==version` from an index; `name @ <url>` when pip
installed from a VCS checkout (`git+https://...@<commit>`), an archive URL (with `#sha256=` when recorded) or a local
folder (`file:///...`), so a local build never passes for a PyPI release; `-e <file URL>` for editable installs;
and a comment for an editable install whose source folder is not recorded.

Channels come in conda's order: the user's `.condarc` `channels:` (conda's default, `defaults`, when none is
configured) keep their order, which is the priority the environment was solved with, and channels only the records
name go in front, most packages first. Anaconda's default channels (`pkgs/main`, `pkgs/r`, `pkgs/msys2`) are
written `defaults`, as conda writes them. The environment's own variables (`conda env config vars`, kept in
`conda-meta/state`) are written as `variables:`, as `conda env export` does.

Every output is deterministic (sorted, no timestamps, no prefix): the same environment gives the same bytes, so
snapshots diff cleanly. Tokens and passwords in channel and package URLs, and in URLs inside history specs, are
masked (`urls.mask_url`, `urls.mask_text`) even when the packages given here were not built by our own readers. A
pip distribution whose name or version is not a valid one (METADATA is free text) becomes a comment, never a
requirement line pip would read options from. YAML is written by hand, in conda's layout, and every scalar
YAML could misread (`yes`, `1.0`, `a: b`, a leading `-` or `#`, ...) is double-quoted.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal
from urllib.parse import quote

from packaging.version import InvalidVersion, Version

from ..core.files import TooLarge, read_regular
from ..core.urls import channel_display_name, mask_text, mask_url
from ..environments.package import Package
from ..gpu.system import conda_subdir
from .conda_forms import env_form, link_order
from .history_specs import requested_specs, spec_name

ExportMode = Literal["full", "no-builds", "history", "explicit", "requirements"]
EXPORT_MODES: tuple[ExportMode, ...] = ("full", "no-builds", "history", "explicit", "requirements")
# Snapshots are read back (drift, create from a snapshot) as environment.yml or @EXPLICIT files.
SNAPSHOT_MODES: tuple[ExportMode, ...] = ("full", "no-builds", "history", "explicit")

LOCK_HEADER = "# conda-envs-lock v1: every package installed when this file was written; conda ignores comments"

# Anaconda's channels that conda groups (and writes) as `defaults`.
_DEFAULTS_MEMBERS = frozenset({"pkgs/main", "pkgs/r", "pkgs/msys2"})
_SUBDIR = re.compile(r"[a-z0-9]+-[a-z0-9_]+")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
# PEP 508 names; anything else from a METADATA file is not written as a requirement.
_PIP_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# `conda-meta/state` holds a few variables; far larger is not a state file.
_MAX_STATE_BYTES = 1024 * 1024
_EXPLICIT_HEADER = (
    "# This file may be used to create an environment using:",
    "# $ conda create --name <env> --file <this file>",
)
# `conda export --format requirements` (CEP 23) says what the file is after the platform line.
_REQUIREMENTS_NOTE = (
    "# Note: This is a conda requirements file (MatchSpec format)",
    "# Contains conda package specifications, not pip requirements",
    "",
)


def parse_export_mode(value: str | None, allowed: tuple[ExportMode, ...] = EXPORT_MODES) -> ExportMode:
    """The mode named by a query argument; ValueError (with a message for the user) for anything else."""
    for mode in allowed:
        if value == mode:
            return mode
    raise ValueError(f"unknown export mode {value!r}; expected one of {', '.join(allowed)}")


def render_export(
    name: str,
    packages: Sequence[Package],
    history_text: str | None,
    mode: ExportMode,
    condarc_channels: Sequence[str] = (),
    subdir: str | None = None,
    variables: Mapping[str, str] | None = None,
) -> str:
    """The export text of an environment named `name` holding `packages` (conda records and pip distributions).

    `history_text` is the content of `conda-meta/history` (`history_specs.read_history`), read by `history` only;
    `condarc_channels` the user's `.condarc` `channels:`; `subdir` the platform for the `explicit` header, by
    default the one most of the records were built for.
    """
    conda = _sorted_conda(packages)
    pip = _sorted_pip(packages)
    if mode == "explicit":
        return _render_explicit(link_order(conda), pip, subdir or environment_subdir(conda))
    if mode == "requirements":
        return _render_requirements(conda, pip, subdir or environment_subdir(conda))
    if mode == "full":
        deps = [f"{p.name}={p.version}={p.build}" for p in conda]
    elif mode == "no-builds":
        deps = [f"{p.name}={p.version}" for p in conda]
    else:
        deps = history_dependencies(conda, history_text)
    requirements, notes = _pip_section(pip)
    if mode == "history" and requirements and "pip" not in {spec_name(d) for d in deps}:
        deps = [*deps, "pip"]
    channels = export_channels(conda, condarc_channels)
    return _environment_yml(name, channels, deps, requirements, notes, variables or {})


def export_name(name: str, prefix: str, kind: str) -> str:
    """The `name:` of an export: the name of a base or named environment, else the prefix's folder name, as
    `conda env export -p` writes it (a display name may be a path, which would put this machine's layout in the file
    and is no valid environment name)."""
    if kind in ("base", "named") and name:
        return name
    return os.path.basename(os.path.normpath(prefix)) or name


def export_channel(channel: str) -> str:
    """A channel as `channels:` names it: the short display name, masked, with Anaconda's defaults as `defaults`."""
    channel = channel.strip()
    if not channel:
        return ""
    display = channel_display_name(channel)
    return "defaults" if display in _DEFAULTS_MEMBERS else display


def export_channels(packages: Iterable[Package], condarc_channels: Sequence[str]) -> list[str]:
    """Channels in priority order: the user's `.condarc` channels keep their order (it is the priority the
    environment was solved with: under strict priority, `defaults` before `pytorch` would hide the pytorch channel's
    builds), and channels only the records name go in front, most packages first.

    conda 26 writes the records' channels in the order the records (sorted by name) name them, so `defaults`
    (`_libgcc_mutex`) usually comes first and a strict-priority recreate of a pytorch-channel build fails; this
    order is an intended difference (README, "Checked against conda")."""
    configured = list(dict.fromkeys(c for c in (export_channel(c) for c in condarc_channels) if c)) or ["defaults"]
    counts = Counter(export_channel(p.channel) for p in packages if p.source == "conda")
    counts.pop("", None)
    extra = sorted((c for c in counts if c not in configured), key=lambda c: (-counts[c], c))
    return extra + configured


def environment_subdir(packages: Iterable[Package], fallback: str | None = None) -> str:
    """The platform the environment was built for: the most common non-noarch subdir of its records (ties by name),
    else `fallback`, else this machine's."""
    counts = Counter(
        p.subdir for p in packages if p.source == "conda" and p.subdir != "noarch" and _SUBDIR.fullmatch(p.subdir)
    )
    if counts:
        return min(counts, key=lambda s: (-counts[s], s))
    return fallback or conda_subdir(platform.system(), platform.machine())


def history_dependencies(conda: Sequence[Package], history_text: str | None) -> list[str]:
    """The `history` mode's specs: in the order the history first asked for them, written as conda writes them
    (`conda_forms.env_form`); the fallbacks (module docstring) sorted by package name."""
    installed = {p.name.lower() for p in conda}
    from_history = requested_specs(history_text) if history_text else {}
    specs = [env_form(spec) for name, spec in from_history.items() if name in installed]
    if specs:
        return list(dict.fromkeys(mask_text(_one_line(s)) for s in specs))
    specs = [s.strip() for p in conda for s in (p.requested_spec or "").split(", ") if s.strip()]
    if not specs:
        specs = _leaf_specs(conda)
    # History specs may name a channel by URL, token included.
    return sorted(dict.fromkeys(mask_text(_one_line(s)) for s in specs), key=_spec_sort_key)


def _leaf_specs(conda: Sequence[Package]) -> list[str]:
    depended = {spec_name(d) for p in conda for d in p.depends}
    return [f"{p.name}={p.version}" for p in conda if p.name == "python" or p.name.lower() not in depended]


def _spec_sort_key(spec: str) -> tuple[str, str]:
    return (spec_name(spec) or "", spec)


def _render_explicit(conda: Sequence[Package], pip: Sequence[Package], subdir: str) -> str:
    """conda's `@EXPLICIT` format for already sorted packages."""
    lines = [*_EXPLICIT_HEADER, f"# platform: {_one_line(subdir, spaces=False)}", "@EXPLICIT"]
    for p in conda:
        if p.url:
            lines.append(_explicit_url(p.url, p.md5, p.sha256))
        else:
            lines.append(f"# no URL in the conda-meta record of {_one_line(f'{p.name}={p.version}={p.build}')}")
    for p in pip:
        lines.append(f"# pip {_one_line(_pip_requirement(p) or _pip_note(p))}")
    return "".join(f"{line}\n" for line in lines)


def _render_requirements(conda: Sequence[Package], pip: Sequence[Package], subdir: str) -> str:
    """`conda export --format requirements` for packages sorted by name, pip ones as comments (module docstring)."""
    lines = [*_EXPLICIT_HEADER, f"# platform: {_one_line(subdir, spaces=False)}", *_REQUIREMENTS_NOTE]
    for p in conda:
        spec = _one_line(f"{p.name}=={p.version}={p.build}", spaces=False)
        channel = _one_line(export_channel(p.channel), spaces=False)
        lines.append(f"{channel}::{spec}" if channel else spec)
    for p in pip:
        lines.append(f"# pip {_one_line(_pip_requirement(p) or _pip_note(p))}")
    return "".join(f"{line}\n" for line in lines)


def _explicit_url(url: str, md5: str | None, sha256: str | None) -> str:
    line = _one_line(mask_url(url), spaces=False)
    if "#" in line:
        return line  # a fragment already there; a second `#` would make the line unparseable
    # Checked again here: a digest is pasted into the line, so anything but hex could start another one.
    if md5 and _HEX32.fullmatch(md5):
        return f"{line}#{md5}"
    if sha256 and _HEX64.fullmatch(sha256):
        return f"{line}#sha256:{sha256}"
    return line


def package_digest(packages: Iterable[Package]) -> str:
    """`sha256:<hex>` over what is installed (source, name, version, build), independent of order: equal digests
    mean the same packages."""
    lines = sorted(f"{p.source}\t{p.name}\t{p.version}\t{p.build}\n" for p in packages)
    return "sha256:" + hashlib.sha256("".join(lines).encode("utf-8", "surrogatepass")).hexdigest()


def lock_block(packages: Iterable[Package]) -> str:
    """The comment block appended to snapshots: every installed package, one per line, fields without spaces.

    `# conda <name> <version> <build> <channel>` (channel as in `channels:`, `-` when unknown), sorted by name,
    then `# pypi <name> <version>` sorted by normalized name; the first line is `LOCK_HEADER`.
    """
    items = list(packages)
    lines = [LOCK_HEADER]
    for p in _sorted_conda(items):
        channel = export_channel(p.channel) or "-"
        fields = (p.name, p.version, p.build, channel)
        lines.append("# conda " + " ".join(_one_line(f, spaces=False) or "-" for f in fields))
    for p in _sorted_pip(items):
        lines.append("# pypi " + " ".join(_one_line(f, spaces=False) or "-" for f in (p.name, p.version)))
    return "".join(f"{line}\n" for line in lines)


def yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar that `yaml.safe_load` reads back as the same string: plain when that is safe,
    double-quoted otherwise. Printable non-ASCII text is written as is."""
    return value if _plain_is_safe(value) else _double_quoted(value)


# YAML 1.1 words that plain would turn into booleans or null (`y`/`n` too: some parsers take them as booleans).
_RESERVED_WORDS = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"})
# Characters that are never special inside a plain scalar in block context (beyond letters and digits).
_PLAIN_ASCII = frozenset("_.+-=<>!~*,/@:%;() ")


def _plain_is_safe(value: str) -> bool:
    if not value or value.lower() in _RESERVED_WORDS or value.endswith((" ", ":")) or ": " in value:
        return False
    first = value[0]
    # Indicators (`-`, `#`, `&`, `*`, `!`, `[`, quotes, ...) and digits (numbers, dates) may not start a plain string.
    if first.isascii() and not (first.isalpha() or first == "_"):
        return False
    return all(c.isalnum() or c in _PLAIN_ASCII if c.isascii() else c.isprintable() for c in value)


def _double_quoted(value: str) -> str:
    out = ['"']
    for c in value:
        if c in ('"', "\\"):
            out.append("\\" + c)
        elif c.isprintable():
            out.append(c)
        else:  # controls, line and paragraph separators, lone surrogates: escaped, so the file stays one-line-safe
            code = ord(c)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def read_state_variables(prefix: str) -> dict[str, str]:
    """The environment's own variables (`conda env config vars set`), from `conda-meta/state`; {} when none."""
    try:
        raw = read_regular(os.path.join(prefix, "conda-meta", "state"), _MAX_STATE_BYTES)
        data = json.loads(raw)
    except (TooLarge, OSError, ValueError):
        return {}
    env_vars = data.get("env_vars") if isinstance(data, dict) else None
    if not isinstance(env_vars, dict):
        return {}
    return {k: str(v) for k, v in sorted(env_vars.items()) if isinstance(k, str) and isinstance(v, (str, int, float))}


def _environment_yml(
    name: str,
    channels: Sequence[str],
    deps: Sequence[str],
    requirements: Sequence[str],
    notes: Sequence[str],
    variables: Mapping[str, str],
) -> str:
    lines = [f"name: {yaml_scalar(name)}"]
    lines.append("channels:" if channels else "channels: []")
    lines.extend(f"  - {yaml_scalar(c)}" for c in channels)
    has_deps = bool(deps or requirements or notes)
    lines.append("dependencies:" if has_deps else "dependencies: []")
    lines.extend(f"  - {yaml_scalar(d)}" for d in deps)
    if requirements:
        lines.append("  - pip:")
        lines.extend(f"      # {note}" for note in notes)
        lines.extend(f"      - {yaml_scalar(r)}" for r in requirements)
    else:
        # No list to hang them on (`pip:` with only comments would read as null): comments of the dependencies.
        lines.extend(f"  # {note}" for note in notes)
    if variables:
        lines.append("variables:")
        lines.extend(
            f"  {yaml_scalar(_one_line(k))}: {yaml_scalar(_one_line(v))}" for k, v in sorted(variables.items())
        )
    return "".join(f"{line}\n" for line in lines)


def _pip_section(pip: Sequence[Package]) -> tuple[list[str], list[str]]:
    """(requirement lines, comment texts) for the pip distributions."""
    requirements: list[str] = []
    notes: list[str] = []
    for p in pip:
        requirement = _pip_requirement(p)
        if requirement is None:
            notes.append(_one_line(_pip_note(p)))
        else:
            requirements.append(requirement)
    return requirements, notes


def _pip_requirement(p: Package) -> str | None:
    """The line pip takes back for one distribution; None for an editable install whose source is unknown, or a
    name or version that is not valid (it would be read as options or several requirements)."""
    url = _one_line(mask_url(p.direct_url), spaces=False) if p.direct_url else None
    if p.editable:
        return f"-e {url}" if url else None
    if not _PIP_NAME.fullmatch(p.name) or not (url or _valid_version(p.version)):
        return None
    if url:
        # A local folder or archive must not pass for a PyPI release of the same name.
        return f"{p.name} @ {url}"
    return f"{p.name}=={p.version}"


def _valid_version(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True


def _pip_note(p: Package) -> str:
    if p.editable:
        return f"{p.name}=={p.version}: installed in development mode from a folder that is not recorded; not exported"
    return f"{p.name}=={p.version}: not a valid distribution name or version; not exported"


def _one_line(text: str, *, spaces: bool = True) -> str:
    """`text` percent-encoding whatever would end its line or, with `spaces=False`, split it into two fields."""
    return "".join(
        quote(c.encode("utf-8", "surrogatepass"), safe="") if not c.isprintable() or (not spaces and c.isspace()) else c
        for c in text
    )


def _sorted_conda(packages: Iterable[Package]) -> list[Package]:
    # Every field in the key: records that share a name (a broken prefix) still come out in one order.
    conda = [p for p in packages if p.source == "conda"]
    return sorted(conda, key=lambda p: (p.name.lower(), p.name, p.version, p.build, p.channel, p.url or ""))


def _sorted_pip(packages: Iterable[Package]) -> list[Package]:
    pip = [p for p in packages if p.source == "pypi"]
    return sorted(pip, key=lambda p: (p.normalized_name, p.name, p.version, p.direct_url or ""))

"""Parity with conda's own answers (2/2): every export, for every environment conda lists in the conda-made root.

The extension renders exports from the records without running conda. Each mode must give what conda writes, byte
for byte, after the one normalisation named beside each pair below; each is an intended difference listed in the
README ("Checked against conda"):

- YAML exports: the channels are compared as a set. conda 26 lists the records' channels in record-name order, so
  `defaults` usually comes first and a strict-priority recreate of a pytorch-channel build fails; the extension
  keeps the `.condarc` priority with the records' other channels in front. conda ends with a `prefix:` line (the
  machine's layout; the extension never writes it) and names a path environment by its full path (the extension by
  its folder name: no layout, and a name conda accepts). conda writes every pip distribution as `name==version`;
  the extension writes one that did not come from an index as `name @ <url>` (a local wheel must not pass for a
  PyPI release).
- `--from-history`: conda 26 writes only the `.condarc` channels and drops the pip section (conda#9628); the
  extension puts the records' channels in front (an environment made with `-c pytorch` finds pytorch again) and
  keeps the pip section, with `pip` among the specs.
- `@EXPLICIT` and requirements: conda's `# created-by: conda <version>` line is conda's own; the extension's
  `# pip ...` comments say what the file does not install (conda leaves pip out silently, or refuses).
- `conda export --format explicit` lists records in an order that changes from run to run and without digests:
  compared as a sorted list of URLs.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable
from typing import Any

import pytest

from .parity import CondaAnswers

Normalise = Callable[[str, str], tuple[str, str]]
_PIP_URL_LINE = re.compile(r'^(\s+- )"?([A-Za-z0-9._-]+) @ [^"]+"?$')


def _without_prefix_line(text: str) -> str:
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("prefix: ")]
    if lines and lines[0].startswith("name: /"):
        lines[0] = f"name: {os.path.basename(lines[0][6:].rstrip())}\n"
    return "".join(lines)


def _yaml(conda: str, ours: str) -> tuple[str, str]:
    conda_channels, our_channels = _channels(conda), _channels(ours)
    assert sorted(conda_channels) == sorted(our_channels), (conda_channels, our_channels)
    ours = ours.replace(_channel_block(our_channels), _channel_block(conda_channels), 1)
    versions = dict(re.findall(r"^\s+- ([A-Za-z0-9._-]+)==(\S+)$", conda, flags=re.M))
    lines = []
    for line in ours.splitlines(keepends=True):
        url = _PIP_URL_LINE.match(line.rstrip("\n"))
        if url and url.group(2) in versions:
            line = f"{url.group(1)}{url.group(2)}=={versions[url.group(2)]}\n"
        lines.append(line)
    return _without_prefix_line(conda), "".join(lines)


def _channel_block(channels: list[str]) -> str:
    return "channels:\n" + "".join(f"  - {c}\n" for c in channels)


def _channels(text: str) -> list[str]:
    block = re.search(r"^channels:\n((?:  - .*\n)*)", text, flags=re.M)
    return [line[4:] for line in block.group(1).splitlines()] if block else []


def _history(conda: str, ours: str) -> tuple[str, str]:
    conda_channels, our_channels = _channels(conda), _channels(ours)
    assert set(conda_channels) <= set(our_channels), (our_channels, conda_channels)
    ours = ours.replace(_channel_block(our_channels), _channel_block(conda_channels), 1)
    theirs, mine = _yaml(conda, ours)
    if "  - pip:\n" in mine and "  - pip:\n" not in theirs:
        mine = mine.split("  - pip:\n", 1)[0]
        if not re.search(r"^  - pip\b", theirs, flags=re.M):
            mine = mine.replace("  - pip\n", "", 1)
    return theirs, mine


def _comments(conda: str, ours: str) -> tuple[str, str]:
    theirs = "".join(line for line in conda.splitlines(keepends=True) if not line.startswith("# created-by: "))
    mine = "".join(line for line in ours.splitlines(keepends=True) if not line.startswith("# pip "))
    return theirs, mine


def _sorted_urls(conda: str, ours: str) -> tuple[str, str]:
    theirs, mine = _comments(conda, ours)
    mine = re.sub(r"#[0-9a-f]{32}$", "", mine, flags=re.M)

    def sort(text: str) -> str:
        head, _, urls = text.partition("@EXPLICIT\n")
        return head + "@EXPLICIT\n" + "".join(sorted(urls.splitlines(keepends=True)))

    return sort(theirs), sort(mine)


# conda's command → (the extension's mode, the normalisation).
PAIRS: dict[tuple[str, ...], tuple[str, Normalise]] = {
    ("env", "export"): ("full", _yaml),
    ("env", "export", "--no-builds"): ("no-builds", _yaml),
    ("env", "export", "--from-history"): ("history", _history),
    ("export", "--format", "environment-yaml"): ("full", _yaml),
    ("export", "--format", "requirements"): ("requirements", _comments),
    ("export", "--format", "explicit"): ("explicit", _sorted_urls),
    ("list", "--explicit", "--md5"): ("explicit", _comments),
}


@pytest.fixture(scope="module")
def conda(conda_made: dict[str, Any]) -> CondaAnswers:
    return CondaAnswers(conda_made)


@pytest.fixture
def jp_server_config(made_environ: object) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_conda_envs": True}, "allow_unauthenticated_access": False}
    }


async def _ours(jp_fetch: Any) -> dict[str, dict[str, Any]]:
    data = json.loads((await jp_fetch("conda-envs", "environments")).body)
    return {env["prefix"]: env for env in data["environments"]}


@pytest.mark.parametrize("command", list(PAIRS), ids=[" ".join(c) for c in PAIRS])
async def test_export_equals_conda(jp_fetch: Any, conda: CondaAnswers, command: tuple[str, ...]) -> None:
    mode, normalise = PAIRS[command]
    ours = await _ours(jp_fetch)
    differences: list[str] = []
    for prefix in conda.json("env", "list")["envs"]:
        response = await jp_fetch("conda-envs", "environments", ours[prefix]["id"], "export", params={"mode": mode})
        mine = response.body.decode()
        done = conda.completed(*command, "-p", prefix)
        if done.returncode != 0:
            # conda refuses an @EXPLICIT file for an environment with pip packages; the extension writes one
            # with `# pip` comments instead, and only then.
            assert command == ("export", "--format", "explicit") and "external packages" in done.stderr, done.stderr
            assert "\n# pip " in mine, prefix
            continue
        theirs, mine = normalise(done.stdout, mine)
        if mine != theirs:
            diff = difflib.unified_diff(theirs.splitlines(), mine.splitlines(), "conda", "extension", lineterm="")
            differences.append(f"{os.path.basename(prefix) or prefix}:\n" + "\n".join(diff))
    assert not differences, "\n\n".join(differences)


async def test_every_kind_of_making_is_compared(conda: CondaAnswers, conda_made: dict[str, Any]) -> None:
    """The catalogue holds each way of making an environment the issue names; the comparison covers all of them."""
    steps = " | ".join(step for env in conda_made["envs"] for step in env["steps"])
    ways = (
        " create ",
        " install ",
        " remove ",
        "--clone",
        " rename ",
        " -p ",
        "env create",
        " -f ",
        "env update",
        "--prune",
    )
    for needle in ways:
        assert needle in f" {steps} ", needle
    assert any(env["frozen"] for env in conda_made["envs"])
    listed = set(conda.json("env", "list")["envs"])
    assert {env["prefix"] for env in conda_made["envs"]} == listed

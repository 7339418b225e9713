"""Frozen environments (CEP 22): a prefix with a `conda-meta/frozen` file must not be changed.

conda ≥ 25 refuses every change to such a prefix (`PrefixData.assert_not_frozen`, raised from `conda install`,
`conda remove`, `conda env update`) with `EnvironmentIsFrozenError`. The extension refuses the same changes before
any process starts, and with conda's own words, so a person reads one reason whichever tool said no.

The file is empty (frozen, no reason) or JSON `{"message": "..."}` (conda/core/prefix_data.py). conda crashes on
a file that is not JSON; here an unreadable or malformed file still means frozen, without a reason: the marker's
presence is the promise, and refusing is the side that loses nothing.
"""

from __future__ import annotations

import json
import os
from textwrap import indent

FROZEN_FILE = os.path.join("conda-meta", "frozen")
# A reason is a sentence or a paragraph; a larger file is not read whole.
_MAX_BYTES = 64 * 1024


def frozen_message(prefix: str) -> str | None:
    """None when `prefix` is not frozen; else the reason its marker gives ("" for none)."""
    path = os.path.join(prefix, FROZEN_FILE)
    # conda's own test is `Path.is_file()` (a symlink to a file counts, a folder does not).
    if not os.path.isfile(path):
        return None
    try:
        with open(path, "rb") as f:
            data = f.read(_MAX_BYTES + 1)
    except OSError:
        return ""
    if not data.strip() or len(data) > _MAX_BYTES:
        return ""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    message = parsed.get("message") if isinstance(parsed, dict) else None
    return message if isinstance(message, str) else ""


def frozen_error(prefix: str, message: str) -> str:
    """conda's `EnvironmentIsFrozenError` text for `prefix` (conda/exceptions.py), byte for byte."""
    error = f"Cannot modify '{prefix}'. The environment is marked as frozen. "
    if message:
        # textwrap.indent, as conda uses: blank lines stay unindented.
        error += "Reason:\n\n" + indent(message, "    ") + "\n\n"
    return error + "You can bypass these protections with the `--override-frozen` flag, at your own risk."


def refusal(prefix: str) -> str | None:
    """The refusal for a change to `prefix`, or None when it may be changed."""
    message = frozen_message(prefix)
    return None if message is None else frozen_error(prefix, message)

"""Whether an environment is frozen (CEP 22): a file `conda-meta/frozen`, empty or JSON `{"message": "..."}`.

Read as conda reads it (`PrefixData.is_frozen` / `assert_not_frozen`): frozen when `conda-meta/frozen` is a file
(a symlink to one counts, as `Path.is_file` follows it); the message only when the file is not empty. Where conda
would fail on the contents (invalid JSON, not an object, a message that is not a string) the environment is still
frozen, with no message: the marker is what refuses changes, the message only explains.

conda >= 25 refuses every change to such a prefix (`conda install`, `conda remove`, `conda env update`) with
`EnvironmentIsFrozenError`; the extension refuses the same changes before any process starts, in conda's own words
(`refusal`), so a person reads one reason whichever tool said no.
"""

from __future__ import annotations

import os
import stat
from textwrap import indent

import orjson

from ..core.files import read_regular

FROZEN_FILE = "frozen"
# A message is a sentence or two; a larger file is read only this far, which leaves invalid JSON: no message.
MAX_FROZEN_BYTES = 64 * 1024


def frozen_message(prefix: str) -> str | None:
    """None when the environment is not frozen; "" when frozen without a (readable) message; else the message."""
    path = os.path.join(prefix, "conda-meta", FROZEN_FILE)
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    if info.st_size == 0:
        return ""  # the common case costs one stat
    try:
        raw = read_regular(path, MAX_FROZEN_BYTES, truncate=True)
        data = orjson.loads(raw)
    except (OSError, ValueError, RecursionError):
        return ""
    message = data.get("message") if isinstance(data, dict) else None
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

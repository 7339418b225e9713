"""Stable, URL-safe environment ids.

An environment is its real path (DESIGN.md, principle 2). URLs carry a token derived from that path instead of
the path itself, so a client can never make the server touch a path it chose: an id only ever resolves to an
environment that discovery found.
"""

from __future__ import annotations

import base64
import hashlib
import os


def env_id(realpath: str) -> str:
    """A 16-character base64url token of the prefix's realpath; the same path always gives the same id."""
    digest = hashlib.sha256(os.fsencode(realpath)).digest()[:12]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def is_well_formed_id(value: str) -> bool:
    """Cheap shape check so malformed ids are refused before any lookup."""
    return len(value) == 16 and all(c.isalnum() or c in "-_" for c in value)

"""Channel URLs: short display names and masking of credentials.

Private channels embed secrets in URLs (anaconda.org tokens as ``/t/<token>/``, basic auth as
``user:password@``). Anything we send to the browser or write to a file goes through :func:`mask_url`.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit, urlunsplit

_TOKEN_SEGMENT = re.compile(r"/t/[^/]+")
# User names that carry no secret when given alone: ssh's fixed `git` user.
_PLAIN_USERS = frozenset({"git"})
# URLs inside free text (a history spec `https://host/t/<token>/chan::numpy`, a pip line).
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]+")
KNOWN_SUBDIRS = frozenset(
    {
        "noarch",
        "linux-64",
        "linux-aarch64",
        "linux-ppc64le",
        "linux-s390x",
        "linux-32",
        "osx-64",
        "osx-arm64",
        "win-64",
        "win-32",
        "win-arm64",
    }
)
# Hosts whose URL path, minus the subdir, is the name conda itself shows (`conda-forge`, `pkgs/main`).
_NAMED_CHANNEL_HOSTS = frozenset({"conda.anaconda.org", "repo.anaconda.com", "repo.prefix.dev"})


# Where this server's `.condarc` says named channels live (`channel_alias`, `custom_channels`): `(URL, name)` pairs,
# set by discovery on every listing. conda names a channel under its alias by the rest of the URL, so a mirror
# (`channel_alias: https://mirror.example/conda`) or a local alias shows `conda-forge`, not a URL, as in `conda list`.
_locations: tuple[tuple[str, str], ...] = ()
_generation = 0


def set_channel_locations(locations: tuple[tuple[str, str], ...]) -> None:
    """Named channels' locations from `.condarc`; masked as the URLs they are compared with (a token alias)."""
    global _locations, _generation
    masked = tuple((mask_url(location.rstrip("/")), name) for location, name in locations)
    if masked != _locations:
        _locations = masked
        _generation += 1


def channel_naming_generation() -> int:
    """Changes whenever channel names may have changed: caches of named records compare it."""
    return _generation


def _configured_name(url: str) -> str | None:
    for location, name in _locations:
        if url == location and name:
            return name
        if url.startswith(location + "/"):
            rest = url[len(location) + 1 :]
            return f"{name}/{rest}" if name else rest
    return None


def mask_url(url: str) -> str:
    """Replace a token path segment and a URL password with ``***``; other text is returned unchanged."""
    if "/t/" not in url and "@" not in url:
        return url  # the common case, checked first: this runs once per package record
    masked = _TOKEN_SEGMENT.sub("/t/***", url)
    try:
        parts = urlsplit(masked)
        user = parts.username
        if parts.password is None and (user is None or user in _PLAIN_USERS):
            return masked
        host = parts.hostname or ""
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        if parts.password is None:
            # A user name alone is how tokens travel (`https://ghp_…@github.com`, `https://<token>@host`).
            return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))
    except ValueError:
        # Unparseable (a bad IPv6 host, a non-numeric port): drop everything before the last `@` of the netloc.
        scheme, sep, rest = masked.partition("://")
        netloc, slash, path = rest.partition("/")
        if "@" in netloc:
            netloc = "***@" + netloc.rsplit("@", 1)[1]
        return f"{scheme}{sep}{netloc}{slash}{path}"
    return urlunsplit((parts.scheme, f"{user or ''}:***@{host}", parts.path, parts.query, parts.fragment))


def mask_text(text: str) -> str:
    """Every URL inside `text` masked as `mask_url` masks it, and bare `/t/<token>` segments too."""
    if "://" not in text and "/t/" not in text:
        return text
    return _TOKEN_SEGMENT.sub("/t/***", _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), text))


def channel_display_name(channel: str) -> str:
    """`https://conda.anaconda.org/conda-forge/linux-64` → `conda-forge`; unknown URLs stay URLs, masked."""
    # The generation is part of the key: a name computed while the locations changed is never served after.
    return _display_name(channel, _generation)


@functools.lru_cache(maxsize=512)
def _display_name(channel: str, _generation: int) -> str:
    masked = mask_url(channel.rstrip("/"))
    if "://" not in masked:
        return masked
    try:
        parts = urlsplit(masked)
        hostname = parts.hostname
    except ValueError:
        return masked
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[-1] in KNOWN_SUBDIRS:
        segments = segments[:-1]
    configured = _configured_name(urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments), "", "")))
    if configured:
        return configured
    if hostname in _NAMED_CHANNEL_HOSTS and segments:
        if segments[0] == "t" and len(segments) > 2:
            segments = segments[2:]
        return "/".join(segments)
    return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segments), "", ""))

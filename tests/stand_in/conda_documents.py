"""What the stand-in conda writes and reads, in the shapes recorded from conda 26.7 (see the `conda` script beside it):
environment files, channels and their repodata, package records, history blocks, error documents.

Standard library only: the stand-in is run as a program, and imports this from its own folder.
"""

import json
import os
import textwrap
import time
import urllib.parse

CONDA_VERSION = "24.11.3"


def error_json(name, message, module="conda.exceptions", **extra):
    document = {
        "caused_by": "None",
        "error": f"{name}: {message}",
        "exception_name": name,
        "exception_type": f"<class '{module}.{name}'>",
        "message": message,
    }
    document.update(extra)
    return document


def unquote(value):
    value = value.strip()
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        try:
            return json.loads(value)  # YAML double-quoted scalars as our writer produces them are JSON strings
        except ValueError:
            return value[1:-1]
    if value.startswith("'") and value.endswith("'") and len(value) >= 2:
        return value[1:-1].replace("''", "'")
    return value


def read_environment_file(path):
    """(channels, conda specs, pip lines) from the block-style environment.yml our writer produces."""
    channels, conda, pip = [], [], []
    section = None
    in_pip = False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace() and not line.startswith("-"):
                key = line.partition(":")[0]
                section, in_pip = key.strip(), False
                continue
            item = line.strip()
            if section not in ("dependencies", "channels") or not item.startswith("-"):
                continue
            value = item[1:].strip()
            if section == "channels":
                channels.append(unquote(value))
                continue
            indent = len(line) - len(line.lstrip())
            if value == "pip:":
                in_pip = True
                pip_indent = indent
                continue
            if in_pip and indent > pip_indent:
                pip.append(unquote(value))
            else:
                in_pip = False
                conda.append(unquote(value))
    return channels, conda, pip


def channel_url(channel):
    return channel.rstrip("/") if "://" in channel else "https://conda.anaconda.org/" + channel


def channel_dump(channel):
    # conda's Channel.dump() as PackagesNotFoundInChannelsError lists it in channel_urls (recorded)
    parsed = urllib.parse.urlparse(channel_url(channel))
    location, _, name = (parsed.netloc + parsed.path).rpartition("/")
    keys = ("auth", "location", "name", "package_filename", "platform", "scheme", "token")
    return dict.fromkeys(keys) | {"location": location, "name": name, "scheme": parsed.scheme}


def available(channels):
    """Names the file:// channels hold (their repodata.json), or None where another channel could have anything."""
    names = set()
    if not channels or any(not c.startswith("file://") for c in channels):
        return None
    for channel in channels:
        root = urllib.parse.unquote(urllib.parse.urlparse(channel).path)
        for subdir in ("linux-64", "noarch"):
            try:
                with open(os.path.join(root, subdir, "repodata.json"), encoding="utf-8") as f:
                    data = json.load(f)
            except (OSError, ValueError):
                continue
            for key in ("packages", "packages.conda"):
                names.update(r.get("name") for r in (data.get(key) or {}).values() if isinstance(r, dict))
    return names


def not_found(wanted, channels):
    """conda 26.7's PackagesNotFoundInChannelsError document (recorded)."""
    urls = [channel_url(c) for c in channels or ["conda-forge"]]
    packages = "".join(f"\n  - {w}" for w in wanted)
    listed = "".join(f"\n  - {u}" for u in urls)
    message = (
        f"The following packages are not available from current channels:\n{packages}\n\nCurrent channels:\n{listed}"
        "\n\nTo search for alternate channels that may provide the conda package you're\nlooking for, navigate to"
        "\n\n    https://anaconda.org\n\nand use the search bar at the top of the page.\n"
    )
    extra = {"channels_formatted": listed, "packages_formatted": packages, "packages": list(wanted)}
    name = "PackagesNotFoundInChannelsError"
    return error_json(name, message, channel_urls=[channel_dump(c) for c in channels or ["conda-forge"]], **extra)


def frozen(prefix):
    """conda's EnvironmentIsFrozenError text when conda-meta/frozen is there, else None."""
    try:
        with open(os.path.join(prefix, "conda-meta", "frozen"), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return None
    try:
        reason = json.loads(text).get("message") if text.strip() else ""
    except (ValueError, AttributeError):
        reason = ""
    error = f"Cannot modify '{prefix}'. The environment is marked as frozen. "
    if isinstance(reason, str) and reason:
        error += "Reason:\n\n" + textwrap.indent(reason, "    ") + "\n\n"
    return error + "You can bypass these protections with the `--override-frozen` flag, at your own risk."


def package_of(spec):
    spec = spec.split("::", 1)[-1].strip()
    name = ""
    for c in spec:
        if c in " =<>!~[":
            break
        name += c
    rest = spec[len(name) :].lstrip(" =<>!~")
    version = rest.split(",")[0].split("=")[0].split(" ")[0].rstrip("*.") or "1.0.0"
    return name or "package", version


def description(name, version, size):
    # conda/core/package_cache_data.py ProgressiveFetchExtract._progress_bar
    return f"{name + '-' + version:<20.20} | " + f"{size:<9} | "


def fetch_record(desc, progress, finished=False):
    # conda/common/io.py ProgressBar json mode (plugins/reporter_backends/json.py in conda >= 24.x)
    if finished:
        return f'{{"fetch":"{desc}","finished":true,"maxval":1,"progress":1}}\n\0'
    return f'{{"fetch":"{desc}","finished":false,"maxval":1,"progress":{progress:f}}}\n\0'


def records_for(conda_specs, channels):
    """(name, version, build, progress description, channel URL) per spec: one package each, no dependencies."""
    packages = []
    for i, spec in enumerate(conda_specs):
        name, version = package_of(spec)
        size = f"{100 + 37 * i} KB"
        channel = spec.split("::", 1)[0] if "::" in spec else (channels or ["conda-forge"])[0]
        packages.append((name, version, f"h{i:07d}_0", description(name, version, size), channel_url(channel)))
    return packages


def history_block(argv, packages, specs, prune_removed=()):
    lines = [
        "==> {} <==".format(time.strftime("%Y-%m-%d %H:%M:%S")),
        "# cmd: {}".format(" ".join(argv)),
        f"# conda version: {CONDA_VERSION}",
    ]
    lines += [f"+{c.rsplit('/', 1)[-1]}/linux-64::{n}-{v}-{b}" for n, v, b, _, c in packages]
    lines += [f"-conda-forge/linux-64::{dist}" for dist in prune_removed]
    lines.append(f"# update specs: {list(specs)}")
    return lines


def link_entries(packages):
    # PackageRecord.dist_fields_dump() (conda/models/records.py)
    return [
        {
            "base_url": channel,
            "build_number": 0,
            "build_string": build,
            "channel": channel.rsplit("/", 1)[-1],
            "dist_name": f"{name}-{version}-{build}",
            "name": name,
            "platform": "linux-64",
            "version": version,
        }
        for name, version, build, _, channel in packages
    ]


def fetch_entries(packages):
    # PackageRecord.dump() of what was downloaded, in conda 26.7's field order (recorded)
    return [
        {
            "name": name, "version": version, "build": build, "build_number": 0,
            "channel": f"{channel}/linux-64", "subdir": "linux-64", "fn": f"{name}-{version}-{build}.conda",
            "md5": "0" * 32, "legacy_bz2_size": None, "url": f"{channel}/linux-64/{name}-{version}-{build}.conda",
            "sha256": "0" * 64, "arch": "x86_64", "platform": "linux", "depends": [], "constrains": [],
            "timestamp": 1700481600000, "size": 1000,
        }
        for name, version, build, _, channel in packages
    ]  # fmt: skip

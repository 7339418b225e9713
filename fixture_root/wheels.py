"""Metadata-only wheels for the pip side of the environments.

A valid wheel (METADATA, WHEEL, RECORD with hashes, one tiny module) is enough for real pip to install it and
write the `*.dist-info` folder the extension reads; the Requires-Dist lines mirror the real projects' metadata.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .content import dist_info_name, metadata_text
from .model import Wheel

# Zip entries need a date; a constant one makes the wheel bytes reproducible.
_ZIP_DATE = (2023, 11, 20, 12, 0, 0)


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def wheel_filename(wheel: Wheel) -> str:
    return f"{_normalize(wheel.name)}-{wheel.version}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"sha256={digest}"


def build_wheel(wheel: Wheel, out_dir: Path) -> Path:
    info = dist_info_name(wheel.name, wheel.version)
    module = wheel.module or _normalize(wheel.name)
    files: dict[str, bytes] = {
        f"{module}/__init__.py": f'"""{wheel.name} (fixture_root stub)."""\n__version__ = "{wheel.version}"\n'.encode(),
        f"{info}/METADATA": metadata_text(
            wheel.name, wheel.version, wheel.summary or wheel.name, wheel.requires_dist, wheel.requires_python
        ).encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: fixture_root\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/top_level.txt": f"{module}\n".encode(),
    }
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / wheel_filename(wheel)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=_ZIP_DATE), data)
    return path


def build_wheels(wheels: Iterable[Wheel], out_dir: Path) -> list[Path]:
    return [build_wheel(w, out_dir) for w in wheels]

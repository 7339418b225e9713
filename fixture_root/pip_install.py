"""The pip side: wheels installed by real pip, and the one environment whose Python really runs.

Conda environments here have no working interpreter (their `python` package is metadata and placeholder files),
so pip installs into their site-packages with `--target`; pip still writes `INSTALLER: pip`, RECORD and REQUESTED
exactly as in a normal install. The runnable environment gets a real venv over its conda records instead.
"""

from __future__ import annotations

import contextlib
import email.parser
import importlib.metadata
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

# Consistent, quiet pip runs that never read the user's pip configuration.
_PIP_ENV = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1", "PIP_CONFIG_FILE": os.devnull}


def _run(args: list[str], *, local_only: bool = False) -> str:
    env = {**os.environ, **_PIP_ENV}
    if local_only:
        # A machine-wide PIP_FIND_LINKS (one here holds a real torch wheel) must not leak into installs that are
        # meant to see only the fixture's own wheels.
        for key in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL"):
            env.pop(key, None)
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
    return str(proc.stdout)


def site_packages(prefix: Path, python: str) -> Path:
    xy = ".".join(python.split(".")[:2])
    return prefix / "lib" / f"python{xy}" / "site-packages"


def pip_target_install(target: Path, wheels_dir: Path, requirements: list[str]) -> None:
    """`pip install --target` from the local wheels only. `--upgrade` makes pip replace a conda-installed module
    folder of the same name (numpy/) instead of skipping it, which is what shadowing looks like on disk."""
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheels_dir),
            "--no-deps",
            "--no-compile",
            "--upgrade",
            "--target",
            str(target),
            *requirements,
        ],
        local_only=True,
    )


def _host_pin(project: str) -> str:
    """`project==<version installed here>`, so the runnable env matches the tested host and reuses pip's cache."""
    try:
        return f"{project}=={importlib.metadata.version(project)}"
    except importlib.metadata.PackageNotFoundError:
        return project


def write_editable_project(src: Path) -> Path:
    """A tiny setuptools project to install in editable mode. Its summary carries markup on purpose: package
    metadata is untrusted text and must be shown as text."""
    project = src / "glm_utils"
    (project / "glm_utils").mkdir(parents=True, exist_ok=True)
    (project / "glm_utils" / "__init__.py").write_text(
        '"""Training helpers for the fixture."""\n__version__ = "0.1.0"\n'
    )
    (project / "pyproject.toml").write_text(
        "[build-system]\n"
        'requires = ["setuptools>=61"]\n'
        'build-backend = "setuptools.build_meta"\n\n'
        "[project]\n"
        'name = "glm-utils"\n'
        'version = "0.1.0"\n'
        "description = \"Fine-tuning helpers <script>alert('metadata is text')</script>\"\n"
        'requires-python = ">=3.8"\n',
        encoding="utf-8",
    )
    return project


def make_runnable(
    prefix: Path,
    python: str,
    project: Path,
    jupyter_prefix: Path,
    kernel: tuple[str, str] | None,
    editable_lock: threading.Lock | None = None,
) -> None:
    """Turn a conda-installed prefix into one whose interpreter runs, with ipykernel and an editable install;
    with `kernel` (name, display name), also register its kernelspec under `jupyter_prefix`."""
    xy = ".".join(python.split(".")[:2])
    # The conda package's launchers are placeholders; venv only links interpreters that are not there yet.
    for name in ("python", "python3", f"python{xy}"):
        (prefix / "bin" / name).unlink(missing_ok=True)
    base_python = getattr(sys, "_base_executable", sys.executable)
    _run([base_python, "-m", "venv", "--without-pip", str(prefix)])
    env_python = str(prefix / "bin" / "python")
    # The host's pip drives the env's interpreter (`pip --python`): the conda `pip` record in the env is
    # metadata only, and a second pip install would fight it over pip's own files.
    pip = [sys.executable, "-m", "pip", "--python", env_python, "install", "--quiet"]
    # setuptools >= 70.1 builds editable wheels by itself (older ones need the `wheel` package as well).
    _run([*pip, _host_pin("pip"), _host_pin("ipykernel"), "setuptools>=70.1"])
    # Editable builds write egg-info into the shared source tree: one env at a time.
    with editable_lock or contextlib.nullcontext():
        _run([*pip, "--no-deps", "--no-build-isolation", "-e", str(project)])
    if kernel is not None:
        name, display = kernel
        _run(
            [
                env_python,
                "-m",
                "ipykernel",
                "install",
                "--prefix",
                str(jupyter_prefix),
                "--name",
                name,
                "--display-name",
                display,
            ]
        )
    printed = _run([env_python, "-c", "import sys; print(sys.prefix)"]).strip()
    if os.path.realpath(printed) != os.path.realpath(prefix):
        raise RuntimeError(f"runnable env reports sys.prefix {printed!r}, expected {str(prefix)!r}")


def pip_dists(site: Path) -> list[tuple[str, str, bool]]:
    """(name, version, editable) of every distribution in `site` whose INSTALLER is pip, as pip left them."""
    out = []
    for info in sorted(site.glob("*.dist-info")):
        installer = info / "INSTALLER"
        if not installer.is_file() or installer.read_text(encoding="utf-8").strip() != "pip":
            continue
        fields = email.parser.HeaderParser().parsestr((info / "METADATA").read_text(encoding="utf-8"))
        editable = False
        direct = info / "direct_url.json"
        if direct.is_file():
            editable = bool(json.loads(direct.read_text(encoding="utf-8")).get("dir_info", {}).get("editable"))
        out.append((str(fields["Name"]), str(fields["Version"]), editable))
    return out

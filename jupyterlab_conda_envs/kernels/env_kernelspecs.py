"""Kernelspecs for one environment: its Python (when it has ipykernel) and the kernelspecs it carries itself.

A kernel runs the environment's own interpreter with the environment activated the way `conda activate` leaves a
shell: `CONDA_PREFIX`, `CONDA_DEFAULT_ENV`, `CONDA_SHLVL`, `CONDA_PROMPT_MODIFIER` and the prefix's folders first on
`PATH` (other environments' folders removed), set in the spec's `env`, so no process runs before the kernel.
Only when the environment has `etc/conda/activate.d/*.sh` scripts (CUDA paths, XLA flags, compilers) does the kernel
start through a shell that sources them and then `exec`s the kernel, so the kernel keeps the shell's process id and
receives interrupts directly. The shell script is a constant; the prefix and the kernel command are its arguments.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.files import TooLarge, read_regular
from .names import kernel_key

_WINDOWS = sys.platform.startswith("win")
# Positional parameters: $1 = prefix, the rest = the kernel command. The scripts are sourced inside a function so
# a script that runs `shift` or `set --` cannot change the kernel command. jupyter_client substitutes `{word}`
# patterns in argv; the script's braces always enclose spaces, so none is ever one.
ACTIVATE_SCRIPT = (
    "__conda_envs_activate() "
    '{ for f in "$1"/etc/conda/activate.d/*.sh; do if [ -f "$f" ]; then . "$f"; fi; done; }; '
    'p="$1"; shift; __conda_envs_activate "$p"; exec "$@"'
)
ACTIVATE_ARGV0 = "conda-envs-activate"
KERNEL_JSON_MAX = 256 * 1024
# What jupyter_client.KernelManager.format_kernel_cmd substitutes in argv.
_SUBSTITUTED = re.compile(r"\{[A-Za-z0-9_]+\}")
_KERNELS_MAX = 64


@dataclass
class EnvKernelSpec:
    name: str
    resource_dir: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class EnvForKernels:
    prefix: str
    env_name: str  # the nb_conda_kernels-style name (names.NamedEnv.env_name)
    conda_default_env: str  # what `conda activate` puts in CONDA_DEFAULT_ENV: the name, or the path
    has_ipykernel: bool
    is_base: bool
    is_server_env: bool = False
    # The PATH folders of every known environment (path_entries of each, also as realpaths), removed from PATH.
    env_bins: frozenset[str] = field(default_factory=frozenset)
    # Kernelspecs the prefix carries are run as they are only where the prefix is not a workspace folder: anyone
    # who may write files under the server root could otherwise plant a kernel command that runs on open.
    trust_carried: bool = True


def interpreter(prefix: str) -> str:
    return os.path.join(prefix, "python.exe") if _WINDOWS else os.path.join(prefix, "bin", "python")


def path_entries(prefix: str) -> list[str]:
    """The folders `conda activate` puts first on PATH."""
    if _WINDOWS:
        subdirs = ("", "Library/mingw-w64/bin", "Library/usr/bin", "Library/bin", "Scripts", "bin")
        return [os.path.normpath(os.path.join(prefix, s)) for s in subdirs]
    return [os.path.join(prefix, "bin")]


def activation_scripts(prefix: str) -> list[str]:
    if _WINDOWS:
        return []  # .bat activation is not supported: the kernel gets the variables only
    folder = os.path.join(prefix, "etc", "conda", "activate.d")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [os.path.join(folder, n) for n in names if n.endswith(".sh") and os.path.isfile(os.path.join(folder, n))]


def activated_argv(prefix: str, argv: Sequence[str], scripts: Sequence[str]) -> list[str]:
    """`argv` as it runs in the environment: through the activation wrapper when it has activate.d scripts."""
    if not scripts:
        return list(argv)
    return [shutil.which("bash") or "/bin/sh", "-c", ACTIVATE_SCRIPT, ACTIVATE_ARGV0, prefix, *argv]


def known_env_bins(prefixes: list[str]) -> frozenset[str]:
    """The PATH folders of every known environment, as written and as realpaths (EnvForKernels.env_bins)."""
    bins = [p for prefix in prefixes for p in path_entries(prefix)]
    return frozenset(bins) | frozenset(os.path.realpath(p) for p in bins if os.path.isdir(p))


def path_with_reals(current_path: str) -> list[tuple[str, str]]:
    """PATH entries with their realpaths, resolved once per listing (not once per environment)."""
    return [(p, os.path.realpath(p)) for p in current_path.split(os.pathsep) if p]


def activated_environ(env: EnvForKernels, current_path: list[tuple[str, str]]) -> dict[str, str]:
    own = path_entries(env.prefix)
    # Every environment's folders leave PATH (as `conda activate` replaces the active env's), then ours go first;
    # compared as realpaths too, since PATH often holds a symlinked spelling (/opt/conda → /opt/miniconda3).
    kept = [p for p, real in current_path if p not in env.env_bins and real not in env.env_bins and p not in own]
    return {
        "CONDA_PREFIX": env.prefix,
        "CONDA_DEFAULT_ENV": env.conda_default_env,
        "CONDA_SHLVL": "1",
        "CONDA_PROMPT_MODIFIER": f"({env.conda_default_env}) ",
        "PATH": os.pathsep.join(own + kept),
    }


def read_kernel_json(path: str) -> dict[str, Any] | None:
    try:
        data = json.loads(read_regular(path, KERNEL_JSON_MAX))
    except (OSError, TooLarge, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("argv"), list) or not data["argv"]:
        return None
    if not all(isinstance(a, str) for a in data["argv"]):
        return None
    return data


def carried_kernelspecs(prefix: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Kernelspec folder name → (folder, kernel.json) for `<prefix>/share/jupyter/kernels/*`."""
    base = os.path.join(prefix, "share", "jupyter", "kernels")
    try:
        names = sorted(os.listdir(base))[:_KERNELS_MAX]
    except OSError:
        return {}
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for name in names:
        # nb_conda_kernels can write its own specs into a prefix (`kernelspec_path`): they describe this same
        # environment, so they would be duplicates of ours.
        if name.lower().startswith("conda-"):
            continue
        folder = os.path.join(base, name)
        data = read_kernel_json(os.path.join(folder, "kernel.json"))
        if data is not None:
            out[name] = (folder, data)
    return out


def _language_label(spec: Mapping[str, Any]) -> str:
    display = spec.get("display_name")
    if isinstance(display, str) and display:
        return "Python" if display.startswith("Python") else display
    language = spec.get("language")
    return language if isinstance(language, str) and language else "Kernel"


def _display_name(name_format: str, language: str, env_name: str, kernel: str, key: str, display: str) -> str:
    fields = {
        "language": language,
        "environment": env_name,
        "conda_kernel": kernel,
        "kernel": key,
        "display_name": display,
    }
    try:
        return name_format.format(language, env_name, **fields)
    except (KeyError, IndexError, ValueError):
        return f"{language} [conda env:{env_name}]"


def _bare_python(exe: str) -> bool:
    return not os.path.dirname(exe) and exe.split(".")[0] in {"python", "python3", "python2"}


def build_env_kernelspecs(
    env: EnvForKernels,
    kernel_name: Callable[[str], str],
    name_format: str,
    current_path: list[tuple[str, str]],
    fallback_resource_dir: str,
) -> list[EnvKernelSpec]:
    """Every kernelspec `env` provides. `kernel_name(key)` turns `py`/`r`/... into the full kernel name."""
    if _SUBSTITUTED.search(env.prefix):
        # jupyter_client would replace `{prefix}`, `{connection_file}`... inside our argv: nothing safe to run.
        return []
    python = interpreter(env.prefix)
    runnable = os.path.isfile(python) and os.access(python, os.X_OK)
    carried = carried_kernelspecs(env.prefix)
    scripts = activation_scripts(env.prefix)
    variables = activated_environ(env, current_path)
    out: list[EnvKernelSpec] = []
    seen: set[str] = set()

    def add(key: str, folder: str, base: Mapping[str, Any], argv: Sequence[str]) -> None:
        name = kernel_name(key)
        if name in seen:
            return
        seen.add(name)
        spec = {k: v for k, v in base.items() if k in ("language", "interrupt_mode", "metadata", "env")}
        carried_display = base.get("display_name")
        display = carried_display if isinstance(carried_display, str) else key
        spec["display_name"] = _display_name(name_format, _language_label(base), env.env_name, name, key, display)
        spec["argv"] = activated_argv(env.prefix, argv, scripts)
        carried_env = base.get("env") if env.trust_carried else None
        spec["env"] = {**(carried_env if isinstance(carried_env, dict) else {}), **variables}
        metadata = base.get("metadata")
        spec["metadata"] = {
            **(metadata if isinstance(metadata, dict) else {}),
            "conda_env_name": env.env_name,
            "conda_env_path": env.prefix,
            "conda_is_base_environment": env.is_base,
            "conda_is_currently_running": env.is_server_env,
            "conda_env_activation": "scripts" if scripts else "variables",
        }
        out.append(EnvKernelSpec(name, folder, spec))

    if env.has_ipykernel and runnable:
        folder, base = carried.get("python3") or carried.get("python2") or (fallback_resource_dir, {})
        base = {"display_name": "Python 3 (ipykernel)", "language": "python", **base}
        add("py", folder, base, [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    if not env.trust_carried:
        return out
    for dir_name, (folder, data) in carried.items():
        if kernel_key(dir_name) == "py":
            continue  # ipykernel's own spec: the Python kernel above, or none without ipykernel
        argv = list(data["argv"])
        if _bare_python(argv[0]):
            # jupyter_client would swap a bare `python` for the server's own interpreter.
            if not runnable:
                continue
            argv[0] = python
        add(kernel_key(dir_name), folder, data, argv)
    return out

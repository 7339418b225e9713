"""Which environment each kernelspec runs in.

By `metadata.conda_env_path` when a spec carries it (nb_conda_kernels and ours do), else by the interpreter in
`argv[0]`. A bare `python`/`python3` is what jupyter_client replaces with the server's own interpreter.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

_SERVER_PYTHON_NAMES = frozenset(
    {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
)


@dataclass(frozen=True)
class KernelRef:
    name: str
    display_name: str
    language: str


def _spec_prefix(spec: Mapping[str, object], server_prefix: str) -> str | None:
    metadata = spec.get("metadata")
    if isinstance(metadata, Mapping):
        env_path = metadata.get("conda_env_path")
        if isinstance(env_path, str) and env_path:
            return os.path.realpath(env_path)
    argv = spec.get("argv")
    if not isinstance(argv, list) or not argv or not isinstance(argv[0], str):
        return None
    exe = argv[0]
    if exe in _SERVER_PYTHON_NAMES:
        return server_prefix
    if not os.path.isabs(exe):
        return None
    # Resolve the folder, not the file: a venv's bin/python is a symlink to the base interpreter.
    return os.path.dirname(os.path.realpath(os.path.dirname(exe)))


def kernels_by_prefix(
    specs: Mapping[str, Mapping[str, object]], prefixes: set[str], server_prefix: str
) -> dict[str, list[KernelRef]]:
    """Map env prefix → kernelspecs running in it. `specs` is `KernelSpecManager.get_all_specs()`."""
    result: dict[str, list[KernelRef]] = {}
    for name, entry in specs.items():
        spec = entry.get("spec")
        if not isinstance(spec, Mapping):
            continue
        prefix = _spec_prefix(spec, server_prefix)
        if prefix is None:
            continue
        # Windows layouts put python.exe at the prefix root; try the folder itself too.
        if prefix not in prefixes:
            argv = spec.get("argv")
            if isinstance(argv, list) and argv and isinstance(argv[0], str) and os.path.isabs(argv[0]):
                alt = os.path.realpath(os.path.dirname(argv[0]))
                prefix = alt if alt in prefixes else prefix
        if prefix not in prefixes:
            continue
        display = spec.get("display_name")
        language = spec.get("language")
        result.setdefault(prefix, []).append(
            KernelRef(
                name=name,
                display_name=display if isinstance(display, str) else name,
                language=language if isinstance(language, str) else "",
            )
        )
    for refs in result.values():
        refs.sort(key=lambda k: k.display_name.casefold())
    return result

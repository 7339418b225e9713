"""Package-name normalisation across conda and PyPI, for the pip-over-conda shadowing check."""

from __future__ import annotations

import functools
import re

_SEPARATORS = re.compile(r"[-_.]+")

# Conda packages whose Python distribution has another name on PyPI. Only well-known renames: a wrong entry would
# invent a conflict, a missing one only misses a warning.
CONDA_TO_PYPI: dict[str, str] = {
    "pytorch": "torch",
    "pytorch-gpu": "torch",
    "pytorch-cpu": "torch",
    "tensorflow-base": "tensorflow",
    "matplotlib-base": "matplotlib",
    "py-opencv": "opencv-python",
    "msgpack-python": "msgpack",
    "pytables": "tables",
    "pyqt": "pyqt5",
    "python-graphviz": "graphviz",
    "pytorch-lightning": "pytorch-lightning",
}


@functools.lru_cache(maxsize=4096)
def normalize(name: str) -> str:
    """PEP 503: lower case, runs of `-`, `_` and `.` become one `-`."""
    return _SEPARATORS.sub("-", name).lower()


@functools.lru_cache(maxsize=4096)
def conda_to_pypi(name: str) -> str:
    """The normalized PyPI name a conda package installs under."""
    norm = normalize(name)
    return CONDA_TO_PYPI.get(norm, norm)

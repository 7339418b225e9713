"""Where a snapshot of a notebook's environment may be written: beside the notebook, inside the server root.

The contents manager writes the file; this module decides the path first, because the file contents manager
follows symbolic links (a folder linked to `/etc` is "inside" the root by name) and compares paths as strings
(`/srv/root2` starts with `/srv/root`). Checks use real paths and whole path components.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass

# What a snapshot may be called: conda reads environment files by these extensions, explicit lists by any.
SNAPSHOT_EXTENSIONS = (".yml", ".yaml", ".txt")
MAX_NAME_LENGTH = 255


class BadSnapshotPath(ValueError):
    """The request names a path that is not acceptable (400)."""


class ForbiddenSnapshotPath(PermissionError):
    """The path leads outside the server root or through a symbolic link (403)."""


class MissingSnapshotFolder(LookupError):
    """The notebook's folder does not exist (404)."""


class SnapshotExists(FileExistsError):
    """The file exists and overwriting was not asked for (409)."""

    def __init__(self, api_path: str) -> None:
        super().__init__(api_path)
        self.api_path = api_path


@dataclass(frozen=True)
class SnapshotTarget:
    api_path: str  # server-root-relative, `/`-separated: what the contents manager is given
    exists: bool


def default_file_name(notebook_path: str, mode: str) -> str:
    """`train.ipynb` → `train.environment.yml` (`train.explicit.txt` for an explicit list).

    Named after the notebook, not `environment.yml`: a project's hand-written environment.yml sits in the same
    folders, and two notebooks with different kernels must not share one snapshot.
    """
    stem = posixpath.basename(notebook_path)
    if stem.endswith(".ipynb"):
        stem = stem[: -len(".ipynb")]
    suffix = ".explicit.txt" if mode == "explicit" else ".environment.yml"
    return f"{stem}{suffix}"


def clean_api_path(path: str) -> str:
    """A server-root-relative path without `.`/`..` segments, empty segments, NUL or backslashes."""
    if not isinstance(path, str) or not path.strip("/"):
        raise BadSnapshotPath("a notebook path is required")
    if "\0" in path or "\\" in path:
        raise BadSnapshotPath("the notebook path contains a character paths may not contain")
    parts = path.strip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise BadSnapshotPath("the notebook path must be relative to the server root, without `.` or `..`")
    return "/".join(parts)


def check_file_name(name: str) -> str:
    if not isinstance(name, str) or not name or len(name) > MAX_NAME_LENGTH:
        raise BadSnapshotPath("the snapshot file needs a name of at most 255 characters")
    if "/" in name or "\\" in name or "\0" in name or name in (".", "..") or name.startswith("."):
        raise BadSnapshotPath("the snapshot file name must be a plain, visible file name, without folders")
    if not name.lower().endswith(SNAPSHOT_EXTENSIONS):
        raise BadSnapshotPath("the snapshot file must end in .yml, .yaml or .txt")
    return name


def _inside(path: str, root: str) -> bool:
    # Whole components: `/srv/root2` is not inside `/srv/root`.
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def resolve_target(root_dir: str | None, notebook_path: str, file_name: str, *, overwrite: bool) -> SnapshotTarget:
    """The API path of the snapshot file for the notebook at `notebook_path`.

    `root_dir` is the file contents manager's root; None for a contents manager that is not backed by local files
    (its own checks then apply, and the caller asks it whether the file exists).
    """
    notebook = clean_api_path(notebook_path)
    name = check_file_name(file_name)
    folder = posixpath.dirname(notebook)
    api_path = f"{folder}/{name}" if folder else name
    if root_dir is None:
        return SnapshotTarget(api_path, exists=False)

    real_root = os.path.realpath(root_dir)
    os_folder = os.path.join(real_root, *folder.split("/")) if folder else real_root
    real_folder = os.path.realpath(os_folder)
    if not _inside(real_folder, real_root):
        raise ForbiddenSnapshotPath("the notebook's folder leads outside the server root")
    if not os.path.isdir(real_folder):
        raise MissingSnapshotFolder(folder or "/")
    target = os.path.join(real_folder, name)
    if os.path.islink(target):
        # Writing through it would change whatever it points to, possibly outside the root.
        raise ForbiddenSnapshotPath(f"{name} is a symbolic link; it is not replaced")
    exists = os.path.lexists(target)
    if exists and not os.path.isfile(target):
        # Not a file to replace, whatever the user answers: no "Replace?" question for it.
        raise BadSnapshotPath(f"{name} exists and is not a file")
    if exists and not overwrite:
        raise SnapshotExists(api_path)
    return SnapshotTarget(api_path, exists=exists)


def hidden_part(api_path: str) -> str | None:
    """The first path component that is hidden by name (`.conda`, `.git`), if any."""
    return next((part for part in api_path.split("/") if part.startswith(".")), None)

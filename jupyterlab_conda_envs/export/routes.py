"""Handlers that touch the workspace's files: write a snapshot beside a notebook, read an environment file.

Both go through the contents manager (its permissions, hidden-file rules and storage), after checks of our own
that it does not make (see snapshot_target).
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.services.contents.fileio import FileManagerMixin
from jupyter_server.utils import ensure_async

from ..core.handler_base import BaseHandler, json_object_body, read_workspace_file
from ..environments.service import UnknownEnvironment
from .environment_yaml import SpecError, SpecTooLarge
from .render import SNAPSHOT_MODES, parse_export_mode
from .snapshot_target import (
    BadSnapshotPath,
    ForbiddenSnapshotPath,
    MissingSnapshotFolder,
    SnapshotExists,
    check_file_name,
    clean_api_path,
    default_file_name,
    hidden_part,
    resolve_target,
)
from .spec_file import parse_spec_file

# A snapshot request is a few short strings.
MAX_SNAPSHOT_BODY = 16 * 1024
# Environment files people compare are a few KB; an explicit list of a large env is ~100 KB.
MAX_SPEC_BYTES = 1024 * 1024


class _ContentsHandler(BaseHandler):
    async def require(self, action: str, resource: str, what: str) -> None:
        if not await ensure_async(self.authorizer.is_authorized(self, self.current_user, action, resource)):
            raise tornado.web.HTTPError(403, f"{what} is not allowed")

    @property
    def contents(self) -> Any:
        # The contents manager's methods are untyped (and sync or async, depending on the class): Any, awaited
        # through ensure_async.
        return self.contents_manager

    def file_root(self) -> str | None:
        """The local folder behind the contents manager; None for one that stores files elsewhere."""
        manager = self.contents_manager
        return str(manager.root_dir) if isinstance(manager, FileManagerMixin) else None


class SnapshotHandler(_ContentsHandler):
    """Write the export of an environment beside a notebook; answers what to record in the notebook's metadata.

    Body: `{"path": <notebook API path>, "mode"?: export mode (default history), "file"?: file name,
    "overwrite"?: bool}`. 409 when the file exists and `overwrite` is not true.
    """

    @tornado.web.authenticated
    @authorized
    async def post(self, env_id: str) -> None:
        await self.require("write", "contents", "writing files in the workspace")
        body = _json_body(self.request.body)
        try:
            mode = parse_export_mode(body.get("mode", "history"), SNAPSHOT_MODES)
        except ValueError as err:
            raise tornado.web.HTTPError(400, str(err)) from None
        overwrite = body.get("overwrite", False)
        if not isinstance(overwrite, bool):
            raise tornado.web.HTTPError(400, "`overwrite` must be true or false")
        try:
            notebook = clean_api_path(body.get("path", ""))
            file_name = check_file_name(body.get("file") or default_file_name(notebook, mode))
        except BadSnapshotPath as err:
            raise tornado.web.HTTPError(400, str(err)) from None
        await self._refuse_hidden(notebook)
        # Rendered before the file checks, so that checking and writing follow each other with nothing between.
        try:
            snapshot = await asyncio.to_thread(self.service.snapshot, env_id, mode)
        except UnknownEnvironment:
            raise tornado.web.HTTPError(404, f"unknown environment {env_id!r}") from None
        folder = posixpath.dirname(notebook)
        # One write at a time per file in this server: two "no overwrite" requests must not both pass the check.
        async with _lock_for(posixpath.join(folder, file_name)):
            try:
                target = resolve_target(self.file_root(), notebook, file_name, overwrite=overwrite)
            except BadSnapshotPath as err:
                raise tornado.web.HTTPError(400, str(err)) from None
            except ForbiddenSnapshotPath as err:
                raise tornado.web.HTTPError(403, str(err)) from None
            except MissingSnapshotFolder as err:
                raise tornado.web.HTTPError(404, f"no folder {str(err)!r} under the server root") from None
            except SnapshotExists as err:
                self._exists(err.api_path)
                return
            if self.file_root() is None and not overwrite:
                if await ensure_async(self.contents.exists(target.api_path)):
                    self._exists(target.api_path)
                    return
            model = {"type": "file", "format": "text", "content": snapshot.text}
            await ensure_async(self.contents.save(model, target.api_path))
        self.set_status(201)
        self.write_json(orjson.dumps({**snapshot.metadata, "file": target.api_path, "replaced": target.exists}))

    async def _refuse_hidden(self, notebook: str) -> None:
        """The contents API refuses hidden files and folders unless `allow_hidden`; its `save` does not check, the
        handler in front of it does. So does this one (a snapshot must not land in `.conda/` or `.git/`)."""
        manager = self.contents
        if getattr(manager, "allow_hidden", False):
            return
        folder = posixpath.dirname(notebook)
        part = hidden_part(folder)
        hidden = part is not None
        if not hidden and folder:
            try:
                hidden = bool(await ensure_async(manager.is_hidden(folder)))
            except (OSError, tornado.web.HTTPError):
                hidden = False  # a missing folder is reported as such by the checks that follow
        if hidden:
            raise tornado.web.HTTPError(400, "snapshots are not written in hidden folders")

    def _exists(self, api_path: str) -> None:
        # A JSON reply, not an HTTPError: the client needs the file's path to ask the user about replacing it.
        self.set_status(409)
        self.write_json(orjson.dumps({"message": f"{api_path} exists", "file": api_path, "exists": True}))


class SpecFileHandler(_ContentsHandler):
    """`?path=<API path of an environment file>` → its parsed package list (yml, explicit, or a snapshot's)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        path, data = await read_workspace_file(self, self.get_query_argument("path", ""), MAX_SPEC_BYTES)
        try:
            parsed = await asyncio.to_thread(parse_spec_file, data, max_bytes=MAX_SPEC_BYTES)
        except SpecTooLarge as err:
            raise tornado.web.HTTPError(413, str(err)) from None
        except SpecError as err:
            raise tornado.web.HTTPError(400, f"{path}: {err}") from None
        self.write_json(orjson.dumps({"path": path, "spec": parsed}))


# api path → (lock, how many requests hold or wait for it).
_LOCKS: dict[str, tuple[asyncio.Lock, int]] = {}


@asynccontextmanager
async def _lock_for(api_path: str) -> AsyncIterator[None]:
    lock, users = _LOCKS.get(api_path, (asyncio.Lock(), 0))
    _LOCKS[api_path] = (lock, users + 1)
    try:
        async with lock:
            yield
    finally:
        # Forgotten when its last user is done, so the table stays as small as the writes in flight.
        lock, users = _LOCKS[api_path]
        if users == 1:
            del _LOCKS[api_path]
        else:
            _LOCKS[api_path] = (lock, users - 1)


def _json_body(raw: bytes) -> dict[str, Any]:
    body = json_object_body(raw, MAX_SNAPSHOT_BODY)
    for key in ("path", "file", "mode"):
        if key in body and not isinstance(body[key], str):
            raise tornado.web.HTTPError(400, f"`{key}` must be a string")
    return body


class ExportHandler(BaseHandler):
    """`?mode=full|no-builds|history|explicit|requirements` → the environment file text, from the records."""

    @tornado.web.authenticated
    @authorized
    async def get(self, env_id: str) -> None:
        try:
            mode = parse_export_mode(self.get_query_argument("mode", "full"))
        except ValueError as err:
            raise tornado.web.HTTPError(400, str(err)) from None
        try:
            exported = await asyncio.to_thread(self.service.export, env_id, mode)
        except UnknownEnvironment:
            raise tornado.web.HTTPError(404, f"unknown environment {env_id!r}") from None
        kind = "text/plain" if mode in ("explicit", "requirements") else "application/yaml"
        # Never rendered by the browser as a page: it is the environment's text, downloaded or shown as text.
        self.set_header("Content-Disposition", "attachment")
        self.finish(exported.text.encode("utf-8"), set_content_type=f"{kind}; charset=utf-8")

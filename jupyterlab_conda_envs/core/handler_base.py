"""The base of every handler under `/conda-envs/`: the service, JSON replies, kernelspecs, the slow pool."""

from __future__ import annotations

import asyncio
import base64
import binascii
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import orjson
import tornado
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import ensure_async

from ..environments.service import EnvironmentService, KernelSpecs
from ..export.snapshot_target import BadSnapshotPath, clean_api_path

AUTH_RESOURCE = "conda_envs"


class BaseHandler(APIHandler):
    auth_resource = AUTH_RESOURCE

    @property
    def service(self) -> EnvironmentService:
        service: EnvironmentService = self.settings["conda_envs_service"]
        return service

    def write_json(self, body: bytes) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(body)

    async def kernel_specs(self) -> Callable[[], KernelSpecs]:
        """The server's kernelspecs, to call in the worker thread: the default manager (and ours) reads files, so it
        runs there; an async manager (gateway) is awaited here and its answer handed over."""
        manager = self.kernel_spec_manager
        if inspect.iscoroutinefunction(manager.get_all_specs):
            listed: KernelSpecs = await manager.get_all_specs()
            return lambda: listed
        specs: Callable[[], KernelSpecs] = manager.get_all_specs
        return specs


_T = TypeVar("_T")


async def run_slow(handler: APIHandler, fn: Callable[..., _T], *args: Any) -> _T:
    """Work that may wait on other programs (nvidia-smi, an environment's Python) runs in its own small pool, so a
    hung one can never take the threads the listing and package routes use."""
    executor: ThreadPoolExecutor = handler.settings["conda_envs_slow_executor"]
    return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)


async def read_workspace_file(handler: APIHandler, path: str, max_bytes: int) -> tuple[str, bytes]:
    """(the cleaned API path, the bytes) of a workspace file, through the contents manager (its permissions, hidden
    files and storage); needs `read` on `contents`. 400 for a bad path or a folder, 413 over `max_bytes` (known from
    the listing model before anything is read), 404 from the contents manager for a missing file."""
    if not await ensure_async(handler.authorizer.is_authorized(handler, handler.current_user, "read", "contents")):
        raise tornado.web.HTTPError(403, "reading the workspace's files is not allowed")
    try:
        clean = clean_api_path(path)
    except BadSnapshotPath as err:
        raise tornado.web.HTTPError(400, str(err).replace("notebook path", "path")) from None
    manager: Any = handler.contents_manager
    info: dict[str, Any] = await ensure_async(manager.get(clean, content=False))
    if info.get("type") != "file":
        raise tornado.web.HTTPError(400, f"{clean} is not a file")
    size = info.get("size")
    if isinstance(size, int) and size > max_bytes:
        raise tornado.web.HTTPError(413, f"{clean} is larger than {max_bytes // 1024} KiB")
    model: dict[str, Any] = await ensure_async(manager.get(clean, content=True, type="file", format="base64"))
    try:
        return clean, base64.b64decode(model.get("content") or "")
    except (binascii.Error, ValueError):
        raise tornado.web.HTTPError(400, f"{clean} could not be read") from None


def json_object_body(raw: bytes, max_bytes: int) -> dict[str, Any]:
    """A request body that must be a JSON object: 413 over `max_bytes` (before parsing), 400 otherwise."""
    if len(raw) > max_bytes:
        raise tornado.web.HTTPError(413, "request body too large")
    try:
        body = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError:
        raise tornado.web.HTTPError(400, "the request body is not JSON") from None
    if not isinstance(body, dict):
        raise tornado.web.HTTPError(400, "the request body must be a JSON object")
    return body

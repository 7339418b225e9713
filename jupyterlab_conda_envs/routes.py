"""HTTP handlers under `/conda-envs/`: authenticate, authorize, call the domain off the event loop, write JSON."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import orjson
import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import ensure_async, url_path_join

from .probe import NoInterpreter, run_probe
from .project_env import BadNotebookPath, MissingFolder
from .service import EnvironmentService, KernelSpecs, UnknownEnvironment
from .system import SystemFacts

AUTH_RESOURCE = "conda_envs"


class _BaseHandler(APIHandler):
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


class EnvironmentsHandler(_BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        specs = await self.kernel_specs()
        self.write_json(await asyncio.to_thread(lambda: self.service.list_environments_json(specs())))


class ProjectHandler(_BaseHandler):
    """`?path=<notebook API path>` → the notebook's project environment and the kernel to switch to."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        # It tells which folders exist and what their environment.yml files name: a contents read as well.
        if not await ensure_async(self.authorizer.is_authorized(self, self.current_user, "read", "contents")):
            raise tornado.web.HTTPError(403, "reading the workspace's files is not allowed")
        path = self.get_query_argument("path", "")
        root: str = self.contents_manager.root_dir
        specs = await self.kernel_specs()  # called after the walk: a prefix it finds has its kernel listed
        try:
            body = await asyncio.to_thread(self.service.project_json, root, path, specs)
        except BadNotebookPath as err:
            raise tornado.web.HTTPError(400, str(err)) from None
        except MissingFolder as err:
            raise tornado.web.HTTPError(404, f"no folder {str(err)!r} under the server root") from None
        self.write_json(body)


class SystemHandler(_BaseHandler):
    """This machine: platform, NVIDIA driver and GPUs (or why none), CONDA_OVERRIDE_CUDA, conda tools."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        system: SystemFacts = self.settings["conda_envs_system"]
        # Detection may wait on nvidia-smi (bounded): never on the event loop.
        self.write_json(orjson.dumps(await _slow(self, system.as_json)))


class ProbeHandler(_BaseHandler):
    """Run the environment's own interpreter to ask its frameworks what they see (torch.cuda, TF, JAX devices)."""

    @tornado.web.authenticated
    @authorized
    async def post(self, env_id: str) -> None:
        # It runs code in the environment: allowed only to those who may run code in kernels.
        if not await ensure_async(self.authorizer.is_authorized(self, self.current_user, "execute", "kernels")):
            raise tornado.web.HTTPError(403, "running code in an environment is not allowed")
        try:
            env = await asyncio.to_thread(self.service.kernel_env, env_id)
        except UnknownEnvironment:
            raise tornado.web.HTTPError(404, f"unknown environment {env_id!r}") from None
        timeout: float = self.settings["conda_envs_probe_timeout"]
        try:
            answer = await _slow(self, run_probe, env, timeout)
        except NoInterpreter as err:
            raise tornado.web.HTTPError(409, f"this environment has no Python interpreter ({err})") from None
        self.write_json(orjson.dumps({"id": env_id, "prefix": env.prefix, **answer}))


class PackagesHandler(_BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, env_id: str) -> None:
        try:
            body = await asyncio.to_thread(self.service.packages_json, env_id)
        except UnknownEnvironment:
            raise tornado.web.HTTPError(404, f"unknown environment {env_id!r}") from None
        self.write_json(body)


_T = TypeVar("_T")


async def _slow(handler: APIHandler, fn: Callable[..., _T], *args: Any) -> _T:
    """Work that may wait on other programs (nvidia-smi, an environment's Python) runs in its own small pool, so a
    hung one can never take the threads the listing and package routes use."""
    executor: ThreadPoolExecutor = handler.settings["conda_envs_slow_executor"]
    return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)


def handlers(base_url: str) -> list[tuple[str, type[APIHandler]]]:
    base = url_path_join(base_url, "conda-envs")
    return [
        (url_path_join(base, "environments"), EnvironmentsHandler),
        (url_path_join(base, "project"), ProjectHandler),
        (url_path_join(base, "system"), SystemHandler),
        (url_path_join(base, r"environments/([A-Za-z0-9_-]+)/packages"), PackagesHandler),
        (url_path_join(base, r"environments/([A-Za-z0-9_-]+)/probe"), ProbeHandler),
    ]

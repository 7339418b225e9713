"""HTTP handlers under `/conda-envs/`: authenticate, authorize, call the domain off the event loop, write JSON."""

from __future__ import annotations

import asyncio

import orjson
import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import ensure_async, url_path_join

from .create_routes import CreateEnvironmentMixin, JobHandler, JobsHandler
from .export import parse_export_mode
from .handler_base import AUTH_RESOURCE, BaseHandler, run_slow
from .probe import NoInterpreter, run_probe
from .project_env import BadNotebookPath, MissingFolder
from .service import UnknownEnvironment
from .snapshot_routes import SnapshotHandler, SpecFileHandler
from .system import SystemFacts

__all__ = ["AUTH_RESOURCE", "handlers"]


class EnvironmentsHandler(CreateEnvironmentMixin):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        specs = await self.kernel_specs()
        self.write_json(await asyncio.to_thread(lambda: self.service.list_environments_json(specs())))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        """Create (or, asked explicitly, update) an environment from an environment.yml: 202 with the job."""
        await self.create_environment()


class ProjectHandler(BaseHandler):
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


class SystemHandler(BaseHandler):
    """This machine: platform, NVIDIA driver and GPUs (or why none), CONDA_OVERRIDE_CUDA, conda tools."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        system: SystemFacts = self.settings["conda_envs_system"]
        # Detection may wait on nvidia-smi (bounded): never on the event loop.
        self.write_json(orjson.dumps(await run_slow(self, system.as_json)))


class ProbeHandler(BaseHandler):
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
            answer = await run_slow(self, run_probe, env, timeout)
        except NoInterpreter as err:
            raise tornado.web.HTTPError(409, f"this environment has no Python interpreter ({err})") from None
        self.write_json(orjson.dumps({"id": env_id, "prefix": env.prefix, **answer}))


class PackagesHandler(BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, env_id: str) -> None:
        try:
            body = await asyncio.to_thread(self.service.packages_json, env_id)
        except UnknownEnvironment:
            raise tornado.web.HTTPError(404, f"unknown environment {env_id!r}") from None
        self.write_json(body)


class ExportHandler(BaseHandler):
    """`?mode=full|no-builds|history|explicit` → the environment file text, rendered from the records."""

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
        kind = "text/plain" if mode == "explicit" else "application/yaml"
        # Never rendered by the browser as a page: it is the environment's text, downloaded or shown as text.
        self.set_header("Content-Disposition", "attachment")
        self.finish(exported.text.encode("utf-8"), set_content_type=f"{kind}; charset=utf-8")


def handlers(base_url: str) -> list[tuple[str, type[APIHandler]]]:
    base = url_path_join(base_url, "conda-envs")
    return [
        (url_path_join(base, "environments"), EnvironmentsHandler),
        (url_path_join(base, "project"), ProjectHandler),
        (url_path_join(base, "system"), SystemHandler),
        (url_path_join(base, r"environments/([A-Za-z0-9_-]+)/packages"), PackagesHandler),
        (url_path_join(base, r"environments/([A-Za-z0-9_-]+)/probe"), ProbeHandler),
        (url_path_join(base, r"environments/([A-Za-z0-9_-]+)/export"), ExportHandler),
        (url_path_join(base, r"environments/([A-Za-z0-9_-]+)/snapshot"), SnapshotHandler),
        (url_path_join(base, "spec"), SpecFileHandler),
        (url_path_join(base, "jobs"), JobsHandler),
        (url_path_join(base, r"jobs/([A-Za-z0-9_-]+)"), JobHandler),
    ]

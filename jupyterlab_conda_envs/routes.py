"""HTTP handlers under `/conda-envs/`: authenticate, authorize, call the domain off the event loop, write JSON."""

from __future__ import annotations

import asyncio
import inspect

import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from .service import EnvironmentService, UnknownEnvironment

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


class EnvironmentsHandler(_BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        manager = self.kernel_spec_manager
        # The default manager reads kernel.json files (blocking); async managers (gateway) are awaited.
        if inspect.iscoroutinefunction(manager.get_all_specs):
            specs = await manager.get_all_specs()
        else:
            specs = await asyncio.to_thread(manager.get_all_specs)
        self.write_json(await asyncio.to_thread(self.service.list_environments_json, specs))


class PackagesHandler(_BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, env_id: str) -> None:
        try:
            body = await asyncio.to_thread(self.service.packages_json, env_id)
        except UnknownEnvironment:
            raise tornado.web.HTTPError(404, f"unknown environment {env_id!r}") from None
        self.write_json(body)


def handlers(base_url: str) -> list[tuple[str, type[APIHandler]]]:
    base = url_path_join(base_url, "conda-envs")
    return [
        (url_path_join(base, "environments"), EnvironmentsHandler),
        (url_path_join(base, r"environments/([A-Za-z0-9_-]+)/packages"), PackagesHandler),
    ]

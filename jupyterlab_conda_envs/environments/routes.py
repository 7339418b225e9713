"""Handlers of the environment listing, its packages, and `POST environments` (a create, handled by `create`)."""

from __future__ import annotations

import asyncio

import tornado
from jupyter_server.auth.decorator import authorized

from ..core.handler_base import BaseHandler
from ..create.routes import CreateEnvironmentMixin
from .service import UnknownEnvironment


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


class PackagesHandler(BaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, env_id: str) -> None:
        try:
            body = await asyncio.to_thread(self.service.packages_json, env_id)
        except UnknownEnvironment:
            raise tornado.web.HTTPError(404, f"unknown environment {env_id!r}") from None
        self.write_json(body)

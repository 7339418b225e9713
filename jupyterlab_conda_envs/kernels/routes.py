"""The project environment of a notebook (`GET project`)."""

from __future__ import annotations

import asyncio

import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import ensure_async

from ..core.handler_base import BaseHandler
from .project_env import BadNotebookPath, MissingFolder


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

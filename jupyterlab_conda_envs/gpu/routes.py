"""This machine (`GET system`) and the check inside an environment (`POST environments/{id}/probe`)."""

from __future__ import annotations

import asyncio

import orjson
import tornado
from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import ensure_async

from ..core.handler_base import BaseHandler, run_slow
from ..environments.service import UnknownEnvironment
from .probe import NoInterpreter, run_probe
from .system import SystemFacts


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

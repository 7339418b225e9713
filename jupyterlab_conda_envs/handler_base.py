"""The base of every handler under `/conda-envs/`: the service, JSON replies, kernelspecs, the slow pool."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from jupyter_server.base.handlers import APIHandler

from .service import EnvironmentService, KernelSpecs

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

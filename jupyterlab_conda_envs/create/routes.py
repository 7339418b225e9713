"""`POST environments`: validate a file, then a create or update job.

Everything about the request is checked before any process starts: the body, the file (hardened YAML loading),
the name, the risks that need an opt-in, the target (an existing environment is 409 and untouched), the backend.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from typing import Any

import orjson
import tornado

from ..core.handler_base import json_object_body, read_workspace_file, run_slow
from ..core.urls import mask_text
from ..environments.frozen import refusal
from ..jobs.routes import JobsBaseHandler
from ..jobs.runner import JobConflict
from .conda_cli import Tool, find_tools
from .risks import CreateError
from .validation import CreatePlan, plan_create
from .work import (
    BACKEND_CHOICES,
    Backend,
    NoBackend,
    NoTarget,
    backend_choices,
    choose_backend,
    cli_work,
    rattler_work,
    target_prefix,
)

# The file itself is capped at 1 MiB by the loader; the JSON around it adds little.
MAX_CREATE_BODY = 2 * 1024 * 1024
MAX_SPEC_BYTES = 1024 * 1024


class CreateEnvironmentMixin(JobsBaseHandler):
    def reply(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.write_json(orjson.dumps(body))

    async def create_environment(self) -> None:
        body = json_object_body(self.request.body, MAX_CREATE_BODY)
        data = await self._file_bytes(body)
        options = _options(body)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if options["expect_sha256"] and options["expect_sha256"] != digest:
            # The file changed between the review in the dialog and this request: what was approved is not this.
            self.reply(409, {"message": "the file changed since it was checked; check it again", "reason": "changed"})
            return
        try:
            plan = plan_create(
                data,
                name=options["name"],
                add_ipykernel=options["add_ipykernel"],
                allow=options["allow"],
                max_bytes=MAX_SPEC_BYTES,
            )
        except CreateError as err:
            self.reply(err.status, {"message": str(err), "where": err.where, "needs": err.needs or []})
            return
        result = await asyncio.to_thread(self.service.discover)
        update = options["update"]
        if update:
            existing = next((e for e in result.environments if e.name == plan.name), None)
            if existing is None:
                self.reply(404, {"message": f"no environment named {plan.name!r} to update"})
                return
            if existing.is_server_env:
                # An update (a prune above all) could remove what this very server runs on.
                self.reply(409, {"message": "the environment this server runs in is not updated from here"})
                return
            prefix = existing.prefix
            if self._refused_frozen(prefix):
                return
        else:
            named = next((e for e in result.environments if e.name == plan.name and e.kind in ("base", "named")), None)
            if named is not None:
                if self._refused_frozen(named.prefix):
                    return
                message = f"an environment named {plan.name!r} exists; it was not changed"
                self.reply(409, {"message": message, "reason": "exists"})
                return
            try:
                prefix = target_prefix(result.create_dirs, plan.name)
            except NoTarget as err:
                self.reply(409, {"message": str(err), "reason": "no-target"})
                return
            if self._refused_frozen(prefix):
                return
            if os.path.lexists(prefix):
                # Not an environment we list (else the name check above): a folder in the way, not an update.
                self.reply(409, {"message": f"{prefix} exists; it was not changed", "reason": "in-the-way"})
                return
        config = self.settings["conda_envs_create_config"]
        tools = await run_slow(self, _tools, config.conda_executable or None)
        # The administrator's choice stands; a client picks only where it is `auto`, among the kinds allowed.
        # Anything else is ignored: the server's pick runs, and `backend_kind` says which.
        picked = options["backend"]
        open_choice = config.create_backend == "auto"
        requested = picked if open_choice and picked in config.create_backend_choices else None
        try:
            backend = choose_backend(tools, requested or config.create_backend, update=update)
        except NoBackend as err:
            self.reply(503, {"message": str(err)})
            return
        plan_json = _plan_json(plan)
        target = {"name": plan.name, "prefix": prefix, "update": update, "prune": options["prune"]}
        # Only where the administrator left the choice open is there anything to choose from.
        choices = backend_choices(tools, config.create_backend_choices, update=update) if open_choice else []
        chosen = {
            "backend": backend.label,
            "backend_kind": backend.kind,
            "backend_choices": [{"kind": c.kind, "label": c.title} for c in choices],
        }
        if options["dry_run"]:
            self.reply(200, {"plan": plan_json, "target": target, **chosen, "sha256": digest})
            return
        work = self._work(plan, backend, prefix, update=update, prune=options["prune"], condarc=result.condarc_channels)
        try:
            job = self.jobs.submit("update" if update else "create", plan.name, prefix, backend.kind, work)
        except JobConflict:
            self.reply(409, {"message": f"{plan.name!r} is being changed by another job", "reason": "busy"})
            return
        self.reply(202, {"job": job.as_json(), "plan": plan_json, "target": target, **chosen})

    def _refused_frozen(self, prefix: str) -> bool:
        """409 with conda's own reason when `prefix` is frozen (CEP 22): checked before any process starts, and
        again by the job when it starts (the marker may appear while it waits)."""
        message = refusal(prefix)
        if message is None:
            return False
        self.reply(409, {"message": message, "reason": "frozen"})
        return True

    def _work(
        self, plan: CreatePlan, backend: Backend, prefix: str, *, update: bool, prune: bool, condarc: list[str]
    ) -> Any:
        config = self.settings["conda_envs_create_config"]
        if backend.tool is None:
            cache = config.create_pkgs_dir or os.path.join(
                os.path.expanduser("~"), ".cache", "jupyterlab-conda-envs", "pkgs"
            )
            # A file without `channels:` means the user's configured channels to conda (its default: `defaults`).
            channels = plan.channels or condarc or ["defaults"]
            return rattler_work(plan, prefix, cache_dir=cache, channels=channels)
        return cli_work(plan, backend, prefix, environ=dict(os.environ), update=update, prune=prune)

    async def _file_bytes(self, body: dict[str, Any]) -> bytes:
        """The environment file: uploaded (`content`, text) or from the workspace (`path`, via the contents API)."""
        content = body.get("content")
        path = body.get("path")
        if (content is None) == (path is None):
            raise tornado.web.HTTPError(400, "give exactly one of `content` (the file's text) or `path`")
        if content is not None:
            if not isinstance(content, str):
                raise tornado.web.HTTPError(400, "`content` must be text")
            return content.encode("utf-8", "surrogatepass")
        if not isinstance(path, str):
            raise tornado.web.HTTPError(400, "`path` must be a string")
        return (await read_workspace_file(self, path, MAX_SPEC_BYTES))[1]


# `<tool> --version` takes 0.3-1 s for conda: asked once a minute, not on every dry run of the dialog.
_TOOLS_TTL = 60.0
_tools_cache: dict[tuple[str | None, str, str, str], tuple[float, list[Tool]]] = {}


def _tools(configured: str | None) -> list[Tool]:
    environ = dict(os.environ)
    key = (configured, environ.get("CONDA_EXE", ""), environ.get("MAMBA_EXE", ""), environ.get("PATH", ""))
    cached = _tools_cache.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < _TOOLS_TTL and all(os.path.exists(t.path) for t in cached[1]):
        return cached[1]
    tools = find_tools(environ, configured)
    _tools_cache.clear()
    _tools_cache[key] = (now, tools)
    return tools


def _options(body: dict[str, Any]) -> dict[str, Any]:
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise tornado.web.HTTPError(400, "`name` must be a string")
    allow = body.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) for a in allow):
        raise tornado.web.HTTPError(400, "`allow` must be a list of strings")
    flags = {}
    for key, default in (("add_ipykernel", True), ("dry_run", False), ("update", False), ("prune", False)):
        value = body.get(key, default)
        if not isinstance(value, bool):
            raise tornado.web.HTTPError(400, f"`{key}` must be true or false")
        flags[key] = value
    expect = body.get("expect_sha256")
    if expect is not None and not isinstance(expect, str):
        raise tornado.web.HTTPError(400, "`expect_sha256` must be a string")
    backend = body.get("backend", "")
    if not isinstance(backend, str) or (backend and backend not in BACKEND_CHOICES):
        raise tornado.web.HTTPError(400, f"`backend` must be one of {', '.join(BACKEND_CHOICES)}")
    if flags["prune"] and not flags["update"]:
        raise tornado.web.HTTPError(400, "`prune` applies to updates only")
    return {"name": name or None, "allow": allow, "backend": backend, "expect_sha256": expect, **flags}


def _plan_json(plan: CreatePlan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "channels": plan.display_channels,
        # For display only: the tool gets the real lines, the browser never sees a token in them.
        "conda": [mask_text(spec) for spec in plan.conda],
        "pip": [mask_text(line) for line in plan.pip],
        "variables": plan.variables,
        "risks": [{"kind": r.kind, "items": r.items, "message": r.message} for r in plan.risks],
    }

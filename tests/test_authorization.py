"""Auth on every route: derived from the route table, so a route added later is checked without editing this file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth.authorizer import Authorizer
from tornado.httpclient import HTTPClientError

from jupyterlab_conda_envs.core.routes import AUTH_RESOURCE, handlers

_VERBS = ("get", "post", "put", "patch", "delete")
_GROUP = re.compile(r"\([^)]*\)")


def _route_calls() -> list[tuple[str, str]]:
    """(method, path relative to the base URL) for every verb every handler defines."""
    calls = []
    for pattern, handler in handlers("/"):
        path = _GROUP.sub("AAAAAAAAAAAAAAAA", pattern).lstrip("/")
        for verb in _VERBS:
            if verb in vars(handler):
                calls.append((verb.upper(), path))
    return calls


ROUTES = _route_calls()


class DenyCondaEnvs(Authorizer):
    """Allows everything but this extension's resource, like a deployment that hides it from a role."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != AUTH_RESOURCE


def test_the_route_table_is_not_empty() -> None:
    assert ("GET", "conda-envs/environments") in ROUTES
    assert len(ROUTES) >= 2


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_no_token_is_403(jp_fetch: Any, method: str, path: str) -> None:
    body = "{}" if method in ("POST", "PUT", "PATCH") else None
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch(*path.split("/"), method=method, body=body, headers={"Authorization": ""})
    assert err.value.code == 403


class TestDeniedResource:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any) -> dict[str, Any]:
        return {
            "ServerApp": {
                "jpserver_extensions": {"jupyterlab_conda_envs": True},
                "allow_unauthenticated_access": False,
                "authorizer_class": DenyCondaEnvs,
            },
        }

    @pytest.mark.parametrize(("method", "path"), ROUTES)
    async def test_denied_resource_is_403(self, jp_fetch: Any, method: str, path: str) -> None:
        body = "{}" if method in ("POST", "PUT", "PATCH") else None
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch(*path.split("/"), method=method, body=body)
        assert err.value.code == 403

    async def test_the_rest_of_the_server_still_answers(self, jp_fetch: Any) -> None:
        response = await jp_fetch("api", "kernelspecs")
        assert response.code == 200


_CHECK_AUTH = """
import json, sys, warnings
from jupyter_server.serverapp import ServerApp
app = ServerApp(allow_unauthenticated_access=False, reraise_server_extension_failures=True,
                jpserver_extensions={"jupyterlab_conda_envs": True}, root_dir=sys.argv[1], open_browser=False)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    app.initialize(argv=["--port=0"])
lines = [line for w in caught if w.category.__name__ == "JupyterServerAuthWarning"
         for line in str(w.message).splitlines()]
# add_handlers() puts extension routes in per-host routers under the default router.
patterns = [str(inner.matcher.regex.pattern) for rule in app.web_app.default_router.rules
            for inner in getattr(rule.target, "rules", [])]
print(json.dumps({"warnings": lines, "patterns": patterns}))
"""


def test_server_reports_no_unauthenticated_extension_endpoint(tmp_path: Path) -> None:
    """The extension template's check_auth, in a process of its own (a ServerApp leaves global state behind):
    jupyter_server warns about every extension handler that lacks @authenticated."""
    done = subprocess.run(
        [sys.executable, "-c", _CHECK_AUTH, str(tmp_path)], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    # Other installed extensions may warn about their own endpoints; ours must never appear.
    assert [line for line in report["warnings"] if "conda-envs" in line] == []
    assert sum("conda-envs" in p for p in report["patterns"]) == len(handlers("/"))


class DenyContents(Authorizer):
    """Allows this extension, but not reading the workspace's files."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource != "contents"


class TestProjectNeedsContentsRead:
    @pytest.fixture
    def jp_server_config(self, conda_environ: Any) -> dict[str, Any]:
        return {
            "ServerApp": {
                "jpserver_extensions": {"jupyterlab_conda_envs": True},
                "allow_unauthenticated_access": False,
                "authorizer_class": DenyContents,
            },
        }

    async def test_project_is_403_without_contents_read(self, jp_fetch: Any) -> None:
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("conda-envs", "project", params={"path": "x.ipynb"})
        assert err.value.code == 403
        listing = await jp_fetch("conda-envs", "environments")
        assert listing.code == 200

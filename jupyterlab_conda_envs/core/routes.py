"""The route table under `/conda-envs/`: each capability's handlers (in its `routes.py`) at their URLs.

Handlers authenticate, authorize, call the domain off the event loop and write JSON; docs/rest-api.md is the
contract.
"""

from __future__ import annotations

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from ..environments.routes import EnvironmentsHandler, PackagesHandler
from ..export.routes import ExportHandler, SnapshotHandler, SpecFileHandler
from ..gpu.routes import ProbeHandler, SystemHandler
from ..jobs.routes import JobHandler, JobsHandler
from ..kernels.routes import ProjectHandler
from .handler_base import AUTH_RESOURCE

__all__ = ["AUTH_RESOURCE", "handlers"]


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

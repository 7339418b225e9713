"""`GET jobs`, `GET jobs/{id}?offset=N` (the job and its log from N) and `DELETE jobs/{id}` (cancel)."""

from __future__ import annotations

import orjson
import tornado
from jupyter_server.auth.decorator import authorized

from ..core.handler_base import BaseHandler
from .runner import JobManager


class JobsBaseHandler(BaseHandler):
    """A handler that sees the server's jobs."""

    @property
    def jobs(self) -> JobManager:
        jobs: JobManager = self.settings["conda_envs_jobs"]
        return jobs


class JobsHandler(JobsBaseHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json(orjson.dumps({"jobs": [job.as_json() for job in self.jobs.list()]}))


class JobHandler(JobsBaseHandler):
    """`GET jobs/{id}?offset=N`: the job and its log lines from N; `DELETE`: cancel it."""

    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        job = self.jobs.get(job_id)
        if job is None:
            raise tornado.web.HTTPError(404, f"unknown job {job_id!r}")
        try:
            offset = max(int(self.get_query_argument("offset", "0")), 0)
        except ValueError:
            raise tornado.web.HTTPError(400, "`offset` must be a number") from None
        lines, next_offset = job.log_since(offset)
        self.write_json(orjson.dumps({"job": job.as_json(), "log": lines, "offset": next_offset}))

    @tornado.web.authenticated
    @authorized
    async def delete(self, job_id: str) -> None:
        job = await self.jobs.cancel(job_id)
        if job is None:
            raise tornado.web.HTTPError(404, f"unknown job {job_id!r}")
        self.write_json(orjson.dumps({"job": job.as_json()}))

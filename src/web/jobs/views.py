"""Background job progress (htmx polling while it runs) and the file a finished job produced."""

from flask import Blueprint, url_for
from werkzeug.wrappers import Response as HttpResponse

from domain.jobs.services import job_for
from domain.shared.errors import NotFound
from web.deps import deps
from web.downloads import attachment, sandboxed
from web.guard import current_actor
from web.htmx import render

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
POLL_SECONDS = 1


@bp.get("/<int:job_id>")
def status(job_id: int) -> HttpResponse:
    job = job_for(job_id, actor=current_actor(), uow=deps().reader())
    return render("jobs/status.html", {f"job-{job_id}": "jobs/_status.html"}, job=job, poll=POLL_SECONDS,
                  status_url=url_for(".status", job_id=job_id))


@bp.get("/<int:job_id>/file")
@sandboxed
def download(job_id: int) -> HttpResponse:
    """The job's output file, as an attachment the browser never renders (only the job's owner)."""
    d = deps()
    job = job_for(job_id, actor=current_actor(), uow=d.reader())
    file_id, filename = job.result.get("file_id"), str(job.result.get("filename") or "download")
    if not job.status.finished or not isinstance(file_id, str):
        raise NotFound()
    return attachment(d.files.get(file_id), filename, str(job.result.get("content_type") or "application/octet-stream"))


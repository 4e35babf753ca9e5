"""A job's page: its progress, polled by htmx every second, then its file or its error.

The page works without script too (a reload shows the same); the fragment stops
polling once the job is over, since it then carries no `hx-trigger`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cchc.web.jobs.models import Job, JobState


def file_or_progress(job: Job) -> HttpResponse:
    """The file itself when the job is done already (jobs run inline), else its page."""
    if job.state == JobState.DONE and job.file is not None:
        return _download(job, bytes(job.file))
    return redirect("job", pk=job.pk)


def _download(job: Job, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


def _own_job(request, pk) -> Job:
    """The person's own job; anyone else's is not found (its id says nothing)."""
    job = Job.objects.defer("file").filter(pk=pk, user=request.user).first()
    if job is None:
        raise Http404("Không có việc này, hoặc việc này không phải của bạn.")
    return job


@login_required
def job_page(request, pk):
    job = _own_job(request, pk)
    fragment = request.htmx and request.GET.get("phan") == "trang-thai"
    template = "cchc/_job_status.html" if fragment else "cchc/job.html"
    return render(request, template, {"job": job})


@login_required
def job_file(request, pk, filename: str):
    """The file under its own name (the address ends in .docx or .pdf, as a download)."""
    job = _own_job(request, pk)
    if filename != job.filename:
        raise Http404(f"Việc này không có tệp «{filename[:60]}».")
    data = Job.objects.filter(pk=job.pk).values_list("file", flat=True).get()
    if data is None:
        raise Http404("Việc này chưa có tệp để tải (chưa xong, hoặc không thành công).")
    return _download(job, bytes(data))

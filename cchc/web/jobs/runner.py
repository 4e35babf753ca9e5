"""Starting a job after the request's transaction commits, and running it in a worker.

Each kind of job is a function `work(job, progress) -> Output` in `cchc.web.jobs.work`;
`progress(per_cent, step)` writes how far it is, which the job's page polls. A refusal
(`ValueError` or a `Refused`, in Vietnamese) fails the job with its own words; anything
else fails it with a general Vietnamese message and goes to the log with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cchc.web.jobs.models import Job, JobState

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
KEEP_FOR = timedelta(days=7)


@dataclass(frozen=True)
class Output:
    """What a job leaves: a file to download, or only a sentence saying what it did."""

    summary: str = ""
    data: bytes | None = None
    filename: str = ""
    content_type: str = ""


def start(kind: str, *, user, title: str, **params) -> Job:
    """The person's unfinished job of this kind on these things, or a new one queued.

    Asking twice (a second click, a reload) follows the same job instead of queueing
    the same heavy work again.
    """
    from cchc.web.jobs.work import KINDS

    if kind not in KINDS:
        raise ValueError(f"Không có loại việc «{kind}».")
    active = Job.objects.filter(
        kind=kind, user=user, params=params, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).first()
    if active is not None:
        return active
    from cchc.web.jobs.tasks import run_job

    # A job's file is kept for a week, enough to download it again; then the row goes.
    Job.objects.filter(created__lt=timezone.now() - KEEP_FOR).delete()
    job = Job.objects.create(kind=kind, user=user, title=title, params=params)
    if run_job.get_backend().supports_get_result:  # a real queue: once the job row is committed
        transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    else:  # CCHC_JOBS=inline: here and now, in the request
        run_job.enqueue(str(job.pk))
        job.refresh_from_db()
    return job


def run(job_id: str) -> str:
    """Run one job to its end; the job row says how it went (the task's result is its state)."""
    from cchc.web.jobs.work import KINDS

    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.over:
        return "missing" if job is None else job.state
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, step="Đang bắt đầu")

    def progress(per_cent: int, step: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, per_cent)), step=step)

    from cchc.web.reporting.services import Refused

    try:
        out = KINDS[job.kind](job, progress)
    except (Refused, ValueError, RuntimeError) as exc:  # Vietnamese, said to the person
        _finish(job, state=JobState.FAILED, error=str(exc))
    except Exception:
        log.exception("Việc %s (%s) hỏng", job.pk, job.kind)
        _finish(
            job,
            state=JobState.FAILED,
            error=f"Lỗi máy chủ khi {job.title[:1].lower()}{job.title[1:]}. Hãy thử lại; "
            "nếu vẫn lỗi, báo quản trị hệ thống (chi tiết đã ghi vào nhật ký máy chủ).",
        )
    else:
        _finish(
            job,
            state=JobState.DONE,
            progress=100,
            step="",
            summary=out.summary,
            file=out.data,
            filename=out.filename,
            content_type=out.content_type,
        )
    return Job.objects.values_list("state", flat=True).get(pk=job.pk)


def _finish(job: Job, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(finished=timezone.now(), **fields)

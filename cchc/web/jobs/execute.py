"""Running one job to its end in the worker: its state, progress and file in the job row,
a failure said in Vietnamese."""

from __future__ import annotations

import logging

from django.utils import timezone

from cchc.web.jobs.models import Job, JobState
from cchc.web.jobs.work import KINDS
from cchc.web.reporting.workflow.permissions import Refused

log = logging.getLogger(__name__)


def run(job_id: str) -> str:
    """Run one job to its end; the job row says how it went (the task's result is its state)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.over:
        return "missing" if job is None else job.state
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, step="Đang bắt đầu")

    def progress(per_cent: int, step: str) -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, per_cent)), step=step)

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

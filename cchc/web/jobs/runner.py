"""Starting a job after the request's transaction commits (it runs in a worker: execute.py).

Each kind of job is a function `work(job, progress) -> Output` in `cchc.web.jobs.work`;
`progress(per_cent, step)` writes how far it is, which the job's page polls. A refusal
(`ValueError` or a `Refused`, in Vietnamese) fails the job with its own words; anything
else fails it with a general Vietnamese message and goes to the log with its traceback.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cchc.web.jobs.models import Job, JobState
from cchc.web.jobs.tasks import run_job
from cchc.web.jobs.work import KINDS

KEEP_FOR = timedelta(days=7)


def start(kind: str, *, user, title: str, **params) -> Job:
    """The person's unfinished job of this kind on these things, or a new one queued.

    Asking twice (a second click, a reload) follows the same job instead of queueing
    the same heavy work again.
    """
    if kind not in KINDS:
        raise ValueError(f"Không có loại việc «{kind}».")
    active = Job.objects.filter(
        kind=kind, user=user, params=params, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).first()
    if active is not None:
        return active
    # A job's file is kept for a week, enough to download it again; then the row goes.
    Job.objects.filter(created__lt=timezone.now() - KEEP_FOR).delete()
    job = Job.objects.create(kind=kind, user=user, title=title, params=params)
    if run_job.get_backend().supports_get_result:  # a real queue: once the job row is committed
        transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    else:  # CCHC_JOBS=inline: here and now, in the request
        run_job.enqueue(str(job.pk))
        job.refresh_from_db()
    return job

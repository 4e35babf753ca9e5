"""The tasks on the queue: one runs any job by its kind; one mails notices and retries.

Both are module-level functions, as Django's tasks API asks, so that a worker on
another machine finds them by name. They take ids, never objects: the arguments
are stored as JSON in the queue.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

# A mail server that is down for a while: try again after 1, 5, 30 minutes and 2 hours.
MAIL_RETRY_MINUTES = (1, 5, 30, 120)


@task()
def run_job(job_id: str) -> str:
    from cchc.web.jobs.execute import run  # noqa: PLC0415 — the work loads in the worker only

    return run(job_id)


@task()
def send_notice_mails(ids: list[int], attempt: int = 1) -> int:
    """Mail these notices; those not sent (server down, refused) are tried again later."""
    from cchc.web.notices.mail import mail_notices, unmailed  # noqa: PLC0415 — notices queue this task

    sent = mail_notices(ids)
    left = unmailed(ids)
    backend = send_notice_mails.get_backend()
    if left and attempt <= len(MAIL_RETRY_MINUTES) and backend.supports_defer:
        wait = timedelta(minutes=MAIL_RETRY_MINUTES[attempt - 1])
        log.warning("Còn %d thư chưa gửi được: thử lại lần %d.", len(left), attempt + 1)
        send_notice_mails.using(run_after=timezone.now() + wait).enqueue(left, attempt + 1)
    return sent

"""Heavy work through the job queue for real: jobs stored in the test database (SQLite or
PostgreSQL, whichever the suite runs on), run by django-tasks' own `db_worker`, followed
on the job's page and downloaded; mails that fail are tried again by the queue."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from docx import Document

from cchc.web.jobs import tasks
from cchc.web.jobs.models import Job
from cchc.web.notices.models import Notice
from cchc.web.reporting.workflow import services
from tests.web.test_consolidated_report_web import _send_commune_a
from tests.web.test_notice_mail import Sink, _submitted, _with_addresses

SINK_PORT = 8133  # nobody listens there until the sink starts

pytestmark = pytest.mark.django_db(transaction=True)  # the queue sees only committed jobs

RUN_JOB = "cchc.web.jobs.tasks.run_job"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """The queue's own worker, until nothing is ready to run."""
    call_command(
        "db_worker", queue_name="*", batch=True, startup_delay=False, reload=False, verbosity=0
    )


def test_the_consolidated_report_is_made_by_the_worker_and_downloaded_when_ready(
    world, queue, client
) -> None:
    _send_commune_a(world)
    client.force_login(world.reviewer)
    url = reverse("round-report-docx", args=[world.round.pk])
    asked = client.get(url)
    assert asked.status_code == 302
    job_url = asked["Location"]
    page = client.get(job_url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Đang chờ" in page
    assert client.get(url)["Location"] == job_url  # asking again follows the same job
    assert DBTaskResult.objects.filter(task_path=RUN_JOB, status="READY").count() == 1
    Job.objects.update(created=timezone.now() - timedelta(minutes=1))  # and no worker yet
    assert "chưa có tiến trình chạy nền nào nhận" in client.get(job_url).content.decode()

    run_worker()

    assert DBTaskResult.objects.get(task_path=RUN_JOB).status == "SUCCESSFUL"
    fragment = client.get(job_url, {"phan": "trang-thai"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section id="job-status" data-state="done"')
    assert "hx-trigger" not in fragment  # the page stops polling
    job = Job.objects.get()
    file_url = reverse("job-file", args=[job.pk, job.filename])
    assert file_url.endswith(".docx")
    assert f'href="{file_url}"' in fragment
    download = client.get(file_url)
    assert download["Content-Disposition"].endswith('.docx"')
    texts = [p.text for p in Document(BytesIO(download.content)).paragraphs]
    assert "- Số văn bản chỉ đạo CCHC đã ban hành: 4 văn bản (trên 1/2 đơn vị)." in texts

    client.force_login(world.outsider)  # another person's job is not found
    assert (client.get(job_url).status_code, client.get(file_url).status_code) == (404, 404)


def test_a_failed_job_says_why_in_vietnamese(world, queue, client, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no LibreOffice for the worker
    client.force_login(world.officer)
    job_url = client.get(reverse("report-export", args=[world.report_a.pk, "pdf"]))["Location"]
    run_worker()
    page = client.get(job_url).content.decode()
    assert 'data-state="failed"' in page
    assert "Không thành công: " in page and "LibreOffice" in page
    assert "Traceback" not in page


def test_a_full_rebuild_of_the_stored_totals_runs_on_the_queue(world, queue, capsys) -> None:
    _send_commune_a(world)
    call_command("rebuild_totals", round=world.round.pk, background=True)
    assert capsys.readouterr().out.startswith("Đã đưa vào hàng đợi: việc ")
    assert Job.objects.get().state == "queued"
    run_worker()
    job = Job.objects.get()
    assert (job.state, job.progress) == ("done", 100)
    assert job.summary.startswith(f"Đợt {world.round.pk} (")
    Job.objects.update(created=timezone.now() - timedelta(days=8))
    call_command("rebuild_totals", round=world.round.pk, background=True)
    assert Job.objects.count() == 1  # the week-old one went, with its file


def test_a_mail_the_server_refused_is_sent_again_later_by_the_queue(
    world, queue, settings, monkeypatch
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SINK_PORT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    monkeypatch.setattr(tasks, "MAIL_RETRY_MINUTES", (1,))
    _with_addresses(world)
    _submitted(world)
    services.return_report(user=world.reviewer, report=world.report_a, comment="Sửa lại.")
    run_worker()  # the mail server is down: nothing mailed, a second try is queued
    returned = Notice.objects.filter(kind="returned")
    assert [n.mailed_at for n in returned] == [None, None]
    later = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_notice_mails")
    assert later.exists() and all(t.run_after > timezone.now() for t in later)

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SINK_PORT)
    controller.start()
    try:
        later.update(run_after=timezone.now())  # a minute has passed
        run_worker()
    finally:
        controller.stop()
    assert all(n.mailed_at is not None for n in returned.all())
    subjects = sorted((to[0], m["Subject"]) for to, m in sink.mails)
    assert ("leader@xaan.gov.vn", "[Báo cáo CCHC] Báo cáo bị trả lại — Xã An") in subjects
    assert ("officer@xaan.gov.vn", "[Báo cáo CCHC] Báo cáo bị trả lại — Xã An") in subjects

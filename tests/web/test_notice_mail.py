"""Notices go out by e-mail through a real SMTP conversation, caught by a local sink.

The sink is aiosmtpd on 127.0.0.1 (a port free when the module loads); Django's SMTP backend
talks to it as it would to the office's mail server, so what arrives is what a person
would read: the envelope's addresses, the Vietnamese subject and body, the link.
"""

from __future__ import annotations

import email
import socket
from contextlib import contextmanager
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from cchc.web.notices.models import Notice
from cchc.web.notices.reminders import send_reminders
from cchc.web.reporting.models import Assignment
from cchc.web.reporting.workflow import services
from tests.web.test_notices import DUE, REPORT_A


def free_port() -> int:
    """A port nothing listens on now: two suites on one machine never share a sink."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SINK_PORT = free_port()
CLOSED_PORT = free_port()


class Sink:
    def __init__(self) -> None:
        self.mails: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        # Django folds a long encoded subject onto the next line; the parser keeps the fold's space.
        message.replace_header("Subject", message["Subject"].strip())
        self.mails.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@contextmanager
def running(handler, port: int):
    """An SMTP server on 127.0.0.1:`port` handing each mail to `handler`, for the block."""
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def sink():
    with running(Sink(), SINK_PORT) as handler:
        yield handler


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SINK_PORT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Báo cáo CCHC <cchc@xaan.gov.vn>"
    settings.SITE_URL = "https://cchc.example.gov.vn"
    return settings


def _with_addresses(world) -> None:
    for user in (world.officer, world.leader, world.reviewer, world.colleague):
        user.email = f"{user.username}@xaan.gov.vn"
        user.save(update_fields=["email"])


def _submitted(world) -> None:
    for a in Assignment.objects.filter(report=world.report_a):
        services.mark_done(
            user=world.officer,
            report=world.report_a,
            kind=a.kind,
            code=a.code,
            reason="Phần còn trống không phát sinh trong kỳ.",
        )
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    services.submit_report(user=world.leader, report=world.report_a)


def test_a_returned_report_is_mailed_to_the_leader_and_the_official(
    world, sink, smtp, django_capture_on_commit_callbacks
) -> None:
    _with_addresses(world)
    _submitted(world)
    sink.mails.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(user=world.reviewer, report=world.report_a, comment="Thiếu số liệu.")
    got = sorted((to, m["Subject"], m["From"]) for to, m in sink.mails)
    assert got == [
        (
            ["leader@xaan.gov.vn"],
            "[Báo cáo CCHC] Báo cáo bị trả lại — Xã An",
            "Báo cáo CCHC <cchc@xaan.gov.vn>",
        ),
        (
            ["officer@xaan.gov.vn"],
            "[Báo cáo CCHC] Báo cáo bị trả lại — Xã An",
            "Báo cáo CCHC <cchc@xaan.gov.vn>",
        ),
    ]
    officer_mail = next(m for to, m in sink.mails if to == ["officer@xaan.gov.vn"])
    assert officer_mail.get_content().splitlines() == [
        f"reviewer (Tỉnh Thử) trả lại {REPORT_A}, ý kiến: «Thiếu số liệu.». Hãy sửa các phần "
        f"việc của mình, đánh dấu xong để lãnh đạo duyệt và gửi lại; {DUE}.",
        "",
        f"Mở báo cáo: https://cchc.example.gov.vn/bao-cao/{world.report_a.pk}/",
        "Mọi thông báo của bạn: https://cchc.example.gov.vn/thong-bao/",
        "",
        "Thư này do hệ thống Báo cáo CCHC gửi tự động; xin đừng trả lời thư.",
    ]
    mailed = Notice.objects.filter(kind="returned", mailed_at__isnull=False)
    assert sorted(mailed.values_list("user__username", flat=True)) == ["leader", "officer"]


def test_a_submitted_report_is_mailed_to_the_issuing_reviewer_once_committed(
    world, sink, smtp, django_capture_on_commit_callbacks
) -> None:
    _with_addresses(world)
    for a in Assignment.objects.filter(report=world.report_a):
        services.mark_done(
            user=world.officer,
            report=world.report_a,
            kind=a.kind,
            code=a.code,
            reason="Phần còn trống không phát sinh trong kỳ.",
        )
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.submit_report(user=world.leader, report=world.report_a)
    assert sink.mails == []  # nothing leaves before the transaction has committed
    for callback in pending:
        callback()
    assert [(to, m["Subject"]) for to, m in sink.mails] == [
        (["reviewer@xaan.gov.vn"], "[Báo cáo CCHC] Chờ tiếp nhận — Xã An")
    ]


def test_reminders_are_mailed_by_the_job_over_smtp(world, sink, smtp) -> None:
    _with_addresses(world)
    sent = send_reminders(now=world.round.deadline - timedelta(hours=5))
    # the officer (parts not done), the leader (approve, submit); the unit admin has no address
    assert (sent.notices, sent.mails) == (4, 2)
    assert sorted((to[0], m["Subject"]) for to, m in sink.mails) == [
        ("leader@xaan.gov.vn", "[Báo cáo CCHC] Ngày mai đến hạn nộp — Xã An"),
        ("officer@xaan.gov.vn", "[Báo cáo CCHC] Ngày mai đến hạn nộp — Xã An"),
    ]


def test_a_mail_server_that_is_down_loses_no_notice_and_no_work(
    world, smtp, django_capture_on_commit_callbacks
) -> None:
    smtp.EMAIL_PORT = CLOSED_PORT  # nobody listens there
    _with_addresses(world)
    _submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(user=world.reviewer, report=world.report_a, comment="Sửa lại.")
    world.report_a.refresh_from_db()
    rows = Notice.objects.filter(kind="returned").order_by("user__username")
    assert (world.report_a.state, [(n.user.username, n.mailed_at) for n in rows]) == (
        "returned",
        [("leader", None), ("officer", None)],
    )

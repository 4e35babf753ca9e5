"""The upper unit's own report, filled from its consolidation, goes the same way: freeze,
sign, send. A province consolidates its commune's report, its leader fills the province's
report to the ministry from it, approves, signs the PDF and submits; the ministry's
reviewer sees the valid signature."""

from __future__ import annotations

import io
import shutil
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType
from cchc.documents.pdf import find_soffice
from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.entry import saving
from cchc.web.reporting.entry.prefill import prefill_from_consolidation
from cchc.web.reporting.models import ReportState, TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services
from cchc.web.signing.models import ReportSnapshot
from cchc.web.signing.services import set_round_requirement
from tests.signing_pki import OwnCA, sign_outside

pytestmark = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and poppler-utils (scripts/ensure-services installs them)",
)
LEADER = "Phan Thị Mai"


def _person(username: str, name: str, unit, role: str):
    user = get_user_model().objects.create_user(username, password="x", first_name=name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _round(user, issuer, units):
    return services.open_round(
        user=user,
        issuer=issuer,
        template=TemplateVersion.objects.get(template_id="pl-2024"),
        period=Period(PeriodType.HALF_YEAR, 2024, 1),
        units=units,
        deadline=timezone.make_aware(datetime(2099, 6, 20, 17, 0)),
    )


def test_the_province_report_filled_from_its_consolidation_is_signed_and_sent(
    db, settings, tmp_path, client
) -> None:
    store.install_bundled_templates()
    ministry = create_unit(code="BNV", name="Bộ Nội vụ", level="bo")
    province = create_unit(code="T", name="Tỉnh Thử", level="tinh", parent=ministry)
    commune = create_unit(code="X1", name="Xã Hương Sơn", level="xa", parent=province)
    bnv = _person("bnv.cchc", "Đặng Minh Quân", ministry, Role.REVIEWER)
    reviewer = _person("tinh.noivu", "Lê Thị Thu", province, Role.REVIEWER)
    leader = _person("tinh.lanhdao", LEADER, province, Role.LEADER)
    commune_leader = _person("xa.lanhdao", "Hồ Thanh Nghi", commune, Role.LEADER)
    upper = _round(bnv, ministry, [province])
    lower = _round(reviewer, province, [commune])
    set_round_requirement(user=bnv, rnd=upper, required=True)

    sent = lower.reports.get()
    saving.save_values(user=commune_leader, report=sent, form="PL2", changes={"1": ("13", None)})
    services.approve_report(user=commune_leader, report=sent, reason="thử")
    services.submit_report(user=commune_leader, report=sent)  # that round asks no signature

    own = upper.reports.get()
    prefill_from_consolidation(user=leader, report=own)
    services.approve_report(user=leader, report=own, reason="số liệu tổng hợp")
    own.refresh_from_db()
    snapshot = ReportSnapshot.objects.get(report=own)
    assert (snapshot.expected_signer, snapshot.data["values"]["PL2"]["1"]) == (
        LEADER,
        {"raw": "13", "note": ""},  # complete coverage needs no note
    )

    ca = OwnCA(tmp_path / "ca")
    settings.SIGNING_TRUST_ROOTS = ca.root_file
    client.force_login(leader)
    pdf = client.get(reverse("report-pdf-to-sign", args=[own.pk])).content
    file = io.BytesIO(sign_outside(pdf, ca.issue(LEADER, "lanh-dao-tinh.p12")))
    file.name = "bao-cao-tinh-da-ky.pdf"
    client.post(reverse("report-signed-upload", args=[own.pk]), {"file": file})
    services.submit_report(user=leader, report=own)
    own.refresh_from_db()
    assert own.state == ReportState.SUBMITTED

    client.force_login(bnv)
    page = client.get(reverse("report-detail", args=[own.pk])).content.decode()
    assert f"Đã ký số bởi {LEADER} lúc " in page and ", hợp lệ." in page

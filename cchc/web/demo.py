"""Demo data, built through the same service functions the users' clicks call.

A province (Thành phố Huế) whose communes belonged to huyện Nam Đông until
1/7/2025; users for every role; the bundled templates; Hương Sơn's real 2024
six-month report (seed 001) as history along the old tree; and an open
six-month round with reports in every state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.importers.report_file import import_report, report_content
from cchc.web.organisation.models import Membership, OrgUnit, Role
from cchc.web.organisation.services import create_unit, move_unit
from cchc.web.reporting.entry import saving
from cchc.web.reporting.entry.prefill import prefill_from_consolidation
from cchc.web.reporting.models import Report, ReportingRound, TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services

PASSWORD = "cchc-demo"
REORGANISATION = date(2025, 7, 1)
SEED_001 = Path(__file__).resolve().parents[1] / "samples" / "seeds" / "001_81e409cca2244e78.txt"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    what: str


LOGINS: list[DemoLogin] = []


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    """Every demo login has the same password: hash it once (hashing is slow on purpose)."""
    return make_password(PASSWORD)


def _user(username: str, name: str, what: str, *, superuser: bool = False):
    # Vietnamese names are written whole, family name first.
    user = get_user_model().objects.create(
        username=username,
        first_name=name,
        password=_demo_password_hash(),
        is_superuser=superuser,
        is_staff=superuser,
    )
    LOGINS.append(DemoLogin(username, name, what))
    return user


def _member(user, unit: OrgUnit, role: str, duty: str = "", title: str = "") -> None:
    Membership.objects.create(user=user, unit=unit, role=role, duty=duty, title=title)


COMMUNES = [
    ("X-HUONG-SON", "Xã Hương Sơn"),
    ("X-THUONG-QUANG", "Xã Thượng Quảng"),
    ("X-KHE-TRE", "Xã Khe Tre"),
    ("X-HUONG-PHU", "Xã Hương Phú"),
    ("X-THUONG-LONG", "Xã Thượng Long"),
]

DUTIES = [  # the five officials of seed 000, as template xa-2022 names their roles
    ("vp-noi-vu", "vpnv", "Trần Thị Hoa", "Công chức Văn phòng - Thống kê (Đảng ủy, Nội vụ)"),
    ("vp-ubnd", "vpub", "Lê Văn Bình", "Công chức Văn phòng - Thống kê (HĐND - UBND)"),
    ("tu-phap", "tuphap", "Phạm Thị Lan", "Công chức Tư pháp - Hộ tịch"),
    ("tai-chinh", "taichinh", "Nguyễn Văn Cường", "Công chức Tài chính - Kế toán"),
    ("van-hoa-xh", "vhxh", "Hoàng Thị Mai", "Công chức Văn hóa - Xã hội"),
]


def load_demo() -> list[DemoLogin] | None:
    """Create the demo data once; None when the database already has units."""
    if OrgUnit.objects.exists():
        return None
    LOGINS.clear()
    with transaction.atomic():
        store.install_bundled_templates()
        admin = _user("quantri", "Quản trị Hệ thống", "quản trị hệ thống", superuser=True)
        hue = create_unit(code="T-HUE", name="Thành phố Huế", level="tinh")
        nam_dong = create_unit(
            code="H-NAM-DONG",
            name="Huyện Nam Đông",
            level="huyen",
            parent=hue,
            valid_to=REORGANISATION,
        )
        communes = {}
        for code, name in COMMUNES:
            unit = create_unit(code=code, name=name, level="xa", parent=nam_dong)
            move_unit(unit=unit, new_parent=hue, on=REORGANISATION)
            communes[code] = unit
        reviewer = _user(
            "hue.noivu", "Võ Thị Thu", "Sở Nội vụ Thành phố Huế: mở đợt, tiếp nhận, trả lại"
        )
        _member(reviewer, hue, Role.REVIEWER, title="Chuyên viên Sở Nội vụ")
        old_reviewer = _user(
            "namdong.noivu", "Đặng Văn Hải", "Phòng Nội vụ huyện Nam Đông (trước 1/7/2025)"
        )
        _member(old_reviewer, nam_dong, Role.REVIEWER, title="Chuyên viên Phòng Nội vụ")
        people = _huong_son_people(communes["X-HUONG-SON"])
        others = {}
        for code, name in COMMUNES[1:]:
            slug = code.split("-", 1)[1].lower().replace("-", "")
            leader = _user(f"{slug}.lanhdao", f"Chủ tịch {name}", f"lãnh đạo {name}")
            _member(leader, communes[code], Role.LEADER, title="Chủ tịch UBND xã")
            clerk = _user(f"{slug}.vpnv", f"Công chức {name}", f"công chức {name}")
            _member(clerk, communes[code], Role.CONTRIBUTOR, duty="vp-noi-vu")
            _member(clerk, communes[code], Role.UNIT_ADMIN)
            others[code] = (leader, clerk)
        _history(admin, old_reviewer, nam_dong, communes["X-HUONG-SON"], people["leader"])
        _earlier_rounds(reviewer, hue, communes, people, others)
        _open_round(reviewer, hue, communes, people, others)
        _upper_reports(admin, reviewer, hue, nam_dong)
    return list(LOGINS)


def _huong_son_people(unit: OrgUnit) -> dict:
    people = {}
    people["leader"] = _user(
        "hs.lanhdao", "Ngô Văn Thành", "Chủ tịch UBND xã Hương Sơn: duyệt, gửi"
    )
    _member(people["leader"], unit, Role.LEADER, title="Chủ tịch UBND xã")
    people["admin"] = _user("hs.quantri", "Bùi Thị Hạnh", "quản trị xã Hương Sơn: phân công")
    _member(people["admin"], unit, Role.UNIT_ADMIN, title="Phó Chủ tịch UBND xã")
    for duty, short, name, title in DUTIES:
        people[duty] = _user(f"hs.{short}", name, f"{title}, xã Hương Sơn")
        _member(people[duty], unit, Role.CONTRIBUTOR, duty=duty, title=title)
    return people


def _history(admin, reviewer, nam_dong: OrgUnit, huong_son: OrgUnit, leader) -> None:
    """Seed 001, Hương Sơn's signed 6-month 2024 report, accepted along the old tree."""
    template = TemplateVersion.objects.get(template_id="pl-2024")
    rnd = services.open_round(
        user=admin,
        issuer=nam_dong,
        template=template,
        period=Period(PeriodType.HALF_YEAR, 2024, 1),
        units=[huong_son],
        deadline=timezone.make_aware(datetime(2024, 6, 12, 17, 0)),
        title="Báo cáo CCHC 6 tháng đầu năm 2024 (huyện Nam Đông)",
    )
    report = rnd.reports.get()
    imported = import_report(SEED_001, "pl-2024")
    content = report_content(imported)
    for form, values in imported.values.items():
        saving.save_values(
            user=admin,
            report=report,
            form=form,
            changes={c: (e.raw, None) for c, e in values.items() if e.raw},
            notes={c: (e.note, None) for c, e in values.items() if e.note and not e.raw},
        )
    codes = {s.code for s in store.template_of(template).all_sections()}
    for part in content.narrative:
        if part.code in codes and part.text:
            saving.save_section(
                user=admin, report=report, code=part.code, text=part.text, base_version=None
            )
    report.header = content.header.to_json()
    report.save(update_fields=["header"])
    services.approve_report(
        user=admin,
        report=report,
        reason="Báo cáo đã ký và gửi ngày 10/6/2024 (nhập lại từ văn bản giấy).",
    )
    services.submit_report(user=admin, report=report)
    services.accept_report(user=reviewer, report=report)
    Report.objects.filter(pk=report.pk).update(
        submitted_at=timezone.make_aware(datetime(2024, 6, 10, 15, 0)),
        accepted_at=timezone.make_aware(datetime(2024, 6, 11, 9, 0)),
        first_edit_at=timezone.make_aware(datetime(2024, 6, 5, 8, 0)),
    )


BM1_FILLED = {
    "1": "5",
    "2.1": "20",
    "2.2": "16",
    "4.1": "3",
    "4.2": "3",
    "4.3": "0",
    "4.4": "0",
    "5": "1",
    "5.1": "120",
    "5.2": "2",
    "6": "1",
}


def _open_round(
    reviewer, hue: OrgUnit, communes: dict, people: dict, others: dict
) -> ReportingRound:
    template = TemplateVersion.objects.get(template_id="xa-2022")
    rnd = services.open_round(
        user=reviewer,
        issuer=hue,
        template=template,
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=list(communes.values()),
        window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=timezone.make_aware(datetime(2026, 12, 16, 17, 0)),
        title="Báo cáo CCHC 6 tháng cuối năm 2026",
    )
    reports = {r.unit.code: r for r in rnd.reports.select_related("unit")}
    hs = reports["X-HUONG-SON"]
    saving.save_values(
        user=people["vp-noi-vu"],
        report=hs,
        form="BM1",
        changes={"1": ("4", None), "2.1": ("19", None), "2.2": ("15", None)},
    )
    saving.save_section(
        user=people["vp-noi-vu"],
        report=hs,
        code="I.2",
        base_version=None,
        text="UBND xã đã ban hành Kế hoạch CCHC năm 2026 với 19 nhiệm vụ; "
        "đến thời điểm báo cáo đã hoàn thành 15 nhiệm vụ.",
    )
    for code, state in (
        ("X-THUONG-QUANG", "submitted"),
        ("X-KHE-TRE", "accepted"),
        ("X-HUONG-PHU", "returned"),
    ):
        leader, clerk = others[code]
        report = reports[code]
        saving.save_values(
            user=clerk,
            report=report,
            form="BM1",
            changes={c: (v, None) for c, v in BM1_FILLED.items()},
        )
        services.approve_report(user=leader, report=report, reason="Chỉ có số liệu Biểu mẫu 1.")
        services.submit_report(user=leader, report=report)
        if state == "accepted":
            services.accept_report(user=reviewer, report=report)
        elif state == "returned":
            services.return_report(
                user=reviewer,
                report=report,
                comment="Biểu mẫu 1: số phiếu khảo sát chưa khớp báo cáo kết quả khảo sát; "
                "đề nghị kiểm tra lại.",
            )
    return rnd


# Three earlier half-years on the same template, so that the comparison page has
# trends: (1, 2.1, 2.2, 5.1) of Biểu mẫu 1 per commune. Thượng Quảng's 120 survey
# forms in 2026-H2 stand far above its 30–35 before; in 2026-H1 Hương Phú's 25
# directives and Khe Tre's 115 forms stand far from the other communes.
EARLIER = {
    (2025, 1): {
        "X-HUONG-SON": (3, 18, 10, 40),
        "X-THUONG-QUANG": (5, 20, 12, 30),
        "X-KHE-TRE": (4, 18, 14, 100),
        "X-HUONG-PHU": (2, 12, 6, 20),
        "X-THUONG-LONG": (3, 16, 9, 15),
    },
    (2025, 2): {
        "X-HUONG-SON": (4, 18, 13, 45),
        "X-THUONG-QUANG": (5, 20, 15, 35),
        "X-KHE-TRE": (5, 19, 15, 110),
        "X-HUONG-PHU": (3, 12, 8, 25),
        "X-THUONG-LONG": (3, 16, 11, 18),
    },
    (2026, 1): {
        "X-HUONG-SON": (4, 19, 12, 42),
        "X-THUONG-QUANG": (6, 20, 14, 32),
        "X-KHE-TRE": (5, 20, 15, 115),
        "X-HUONG-PHU": (25, 14, 10, 30),
        "X-THUONG-LONG": (5, 16, 12, 20),
    },
}


def _earlier_rounds(reviewer, hue: OrgUnit, communes: dict, people: dict, others: dict) -> None:
    """Earlier half-years of the Huế round: every commune submitted on time, all accepted."""
    template = TemplateVersion.objects.get(template_id="xa-2022")
    leaders = {code: leader for code, (leader, _) in others.items()}
    leaders["X-HUONG-SON"] = people["leader"]
    for (year, half), figures in EARLIER.items():
        period = Period(PeriodType.HALF_YEAR, year, half)
        due = datetime(year, 6 * half, 16, 17, 0)
        rnd = services.open_round(
            user=reviewer,
            issuer=hue,
            template=template,
            period=period,
            units=list(communes.values()),
            deadline=timezone.make_aware(due),
            title=f"Báo cáo CCHC {period.label}",
        )
        for report in rnd.reports.select_related("unit"):
            leader = leaders[report.unit.code]
            values = dict(zip(("1", "2.1", "2.2", "5.1"), figures[report.unit.code], strict=True))
            changes = {c: (str(v), None) for c, v in values.items()} | {"5": ("1", None)}
            saving.save_values(user=leader, report=report, form="BM1", changes=changes)
            services.approve_report(user=leader, report=report, reason="Số liệu đã rà soát.")
            services.submit_report(user=leader, report=report)
            services.accept_report(user=reviewer, report=report)
        rnd.reports.update(
            submitted_at=timezone.make_aware(due.replace(day=14, hour=15)),
            accepted_at=timezone.make_aware(due),
        )


def _upper_reports(admin, hue_reviewer, hue: OrgUnit, nam_dong: OrgUnit) -> None:
    """2024 up the tree: Nam Đông's report to Huế, prefilled from Hương Sơn's and
    accepted; then Huế's own report to Bộ Nội vụ, a draft for Huế's leader to fill
    with «Điền từ số liệu tổng hợp»."""

    ministry = create_unit(code="BO-NOI-VU", name="Bộ Nội vụ", level="bo")
    move_unit(unit=hue, new_parent=ministry, on=date(2008, 8, 1))
    ministry_reviewer = _user(
        "bnv.cchc", "Phan Văn Minh", "Vụ Cải cách hành chính, Bộ Nội vụ: mở đợt, tiếp nhận"
    )
    _member(ministry_reviewer, ministry, Role.REVIEWER, title="Chuyên viên Vụ CCHC")
    hue_leader = _user(
        "hue.lanhdao", "Nguyễn Văn Phương", "Chủ tịch UBND Thành phố Huế: điền từ tổng hợp, gửi"
    )
    _member(hue_leader, hue, Role.LEADER, title="Chủ tịch UBND thành phố")
    template = TemplateVersion.objects.get(template_id="pl-2024")
    half = Period(PeriodType.HALF_YEAR, 2024, 1)
    for user, issuer, unit, day in (
        (ministry_reviewer, ministry, hue, 20),
        (hue_reviewer, hue, nam_dong, 14),
    ):
        services.open_round(
            user=user,
            issuer=issuer,
            template=template,
            period=half,
            units=[unit],
            deadline=timezone.make_aware(datetime(2024, 6, day, 17, 0)),
            title=f"Báo cáo CCHC 6 tháng đầu năm 2024 ({issuer.name})",
        )
    district = Report.objects.get(round__issuer=hue, round__period_key=half.key)
    prefill_from_consolidation(user=admin, report=district)
    services.approve_report(user=admin, report=district, reason="Số liệu tổng hợp từ các xã.")
    services.submit_report(user=admin, report=district)
    services.accept_report(user=hue_reviewer, report=district)
    Report.objects.filter(pk=district.pk).update(
        submitted_at=timezone.make_aware(datetime(2024, 6, 13, 16, 0))
    )

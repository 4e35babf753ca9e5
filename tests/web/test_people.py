"""People pages and services: adding, importing, editing, deactivating, temporary passwords.

Personas from conftest's `world`: commune A's unit admin manages A's people and
nobody else's (commune B's `outsider`, the province's `reviewer`); a contributor
reaches none of these pages; a system administrator manages everyone.
"""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.people import reset_password
from cchc.web.organisation.people_import import read_rows, text_from_xlsx
from cchc.web.organisation.permissions import NotAllowed
from cchc.web.reporting.models import AuditEvent
from cchc.web.views.people import known_duties

User = get_user_model()
NEW_PASSWORD = "Sen-hong-nở-2026"
PASTED = (
    "Họ và tên\tTên đăng nhập\tChức vụ\tNhiệm vụ\tVai trò\n"
    "Lê Văn Bình\tan.binh\tCông chức Văn phòng\tvp-ubnd\tcông chức\n"
    "Phạm Thị Lan\tan.lan\tCông chức Tư pháp\tCông chức Tư pháp - Hộ tịch\tCông chức, quản trị\n"
    "Ngô Văn Tư\tOfficer\t\t\tlãnh đạo\n"
    "Đỗ Thị Năm\tan.binh\t\tthủ quỹ\tthư ký\n"
    "\tan nam\n"
)
REVIEWED = [
    (2, "an.binh", "vp-ubnd", ["contributor"], []),
    (3, "an.lan", "tu-phap", ["contributor", "unit_admin"], []),
    (4, "Officer", "", ["leader"], ["tên đăng nhập «Officer» đã có người dùng"]),
    (
        5,
        "an.binh",
        "thủ quỹ",
        [],
        [
            "nhiệm vụ «thủ quỹ» không có trong các mẫu báo cáo",
            "vai trò «thư ký» không có (công chức, lãnh đạo, nội vụ, quản trị)",
            "tên đăng nhập «an.binh» trùng dòng 2",
        ],
    ),
    (
        6,
        "an nam",
        "",
        ["contributor"],
        [
            "thiếu họ tên",
            "tên đăng nhập «an nam» chỉ được gồm chữ không dấu, số và . @ + - _",
        ],
    ),
]


def _reviewed(rows) -> list[tuple]:
    return [(r.line, r.username, r.duty, r.roles, r.problems) for r in rows]


def _shown_password(response, username: str) -> str:
    body = response.content.decode()
    match = re.search(
        rf'data-username="{re.escape(username)}">.*?<code class="token">(.*?)</code>', body
    )
    assert match, body
    return match.group(1)


def _logs_in(username: str, password: str) -> bool:
    answer = Client().post(reverse("login"), {"username": username, "password": password})
    return answer.status_code == 302


def _add(client, unit, username="an.hoa", **more):
    data = {
        "unit": unit.pk,
        "username": username,
        "full_name": "Trần Thị Hoa",
        "title": "Công chức Văn phòng - Thống kê",
        "duty": "vp-noi-vu",
        "roles": ["contributor"],
        **more,
    }
    return client.post(reverse("person-add"), data)


def test_a_unit_admin_adds_a_person_who_must_set_her_own_password_first(world, login) -> None:
    response = _add(login(world.unit_admin), world.commune_a)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    temporary = _shown_password(response, "an.hoa")
    person = User.objects.get(username="an.hoa")
    assert list(
        Membership.objects.filter(user=person).values_list("unit__code", "role", "duty", "title")
    ) == [("XA", "contributor", "vp-noi-vu", "Công chức Văn phòng - Thống kê")]
    event = AuditEvent.objects.get(action="person-added")
    assert (event.user, event.target, event.report, event.before, event.after) == (
        world.unit_admin,
        "an.hoa",
        None,
        None,
        {
            "name": "Trần Thị Hoa",
            "active": True,
            "units": {
                "XA": {
                    "roles": ["contributor"],
                    "duty": "vp-noi-vu",
                    "title": "Công chức Văn phòng - Thống kê",
                }
            },
        },
    )

    her = Client()
    logged_in = her.post(reverse("login"), {"username": "an.hoa", "password": temporary})
    assert logged_in.status_code == 302
    assert her.get(reverse("my-work"))["Location"] == reverse("password-change")
    assert her.get(reverse("round-list"))["Location"] == reverse("password-change")
    weak = {"old_password": temporary, "new_password1": "12345678", "new_password2": "12345678"}
    assert her.post(reverse("password-change"), weak).status_code == 200
    assert her.get(reverse("my-work")).status_code == 302
    own = {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert her.post(reverse("password-change"), own)["Location"] == reverse("my-work")
    assert her.get(reverse("my-work")).status_code == 200
    assert her.get(reverse("round-list")).status_code == 200


def test_a_login_already_taken_is_refused_with_the_form_again_and_nothing_saved(
    world, login
) -> None:
    response = _add(login(world.unit_admin), world.commune_a, username="Officer")
    assert response.status_code == 400
    assert "Chưa thêm: Tên đăng nhập «Officer» đã có người dùng." in response.content.decode()
    assert AuditEvent.objects.filter(action="person-added").count() == 0


def test_the_paste_review_says_what_is_wrong_with_each_row(world) -> None:
    rows = read_rows(PASTED, duties=known_duties())
    assert _reviewed(rows) == REVIEWED


def test_an_xlsx_file_is_reviewed_like_the_same_rows_pasted(world) -> None:
    book = Workbook()
    for line in PASTED.splitlines():
        book.active.append(line.split("\t"))
    data = io.BytesIO()
    book.save(data)
    rows = read_rows(text_from_xlsx(data.getvalue()), duties=known_duties())
    assert _reviewed(rows) == REVIEWED


def test_a_file_that_is_not_a_workbook_is_answered_in_vietnamese(world, login) -> None:
    client = login(world.unit_admin)
    upload = io.BytesIO(b"PK\x03\x04 not really")
    upload.name = "danh-sach.xlsx"
    response = client.post(
        reverse("people-import"), {"unit": world.commune_a.pk, "action": "review", "file": upload}
    )
    assert response.status_code == 400
    assert "Tệp không phải bảng tính Excel (.xlsx) đọc được." in response.content.decode()


def test_a_list_with_a_bad_row_saves_nobody_and_a_clean_one_saves_everyone(world, login) -> None:
    client = login(world.unit_admin)
    url = reverse("people-import")
    bad = client.post(url, {"unit": world.commune_a.pk, "action": "save", "text": PASTED})
    assert bad.status_code == 400
    assert not User.objects.filter(username="an.binh").exists()
    clean = "\n".join(PASTED.splitlines()[:3])
    review = client.post(url, {"unit": world.commune_a.pk, "action": "review", "text": clean})
    assert 'id="save-people"' in review.content.decode()
    saved = client.post(url, {"unit": world.commune_a.pk, "action": "save", "text": clean})
    assert saved.status_code == 200
    _shown_password(saved, "an.binh"), _shown_password(saved, "an.lan")
    made = Membership.objects.filter(user__username__in=["an.binh", "an.lan"])
    assert sorted(made.values_list("user__username", "unit__code", "role", "duty")) == [
        ("an.binh", "XA", "contributor", "vp-ubnd"),
        ("an.lan", "XA", "contributor", "tu-phap"),
        ("an.lan", "XA", "unit_admin", "tu-phap"),
    ]
    assert sorted(
        AuditEvent.objects.filter(action="person-added").values_list("target", flat=True)
    ) == ["an.binh", "an.lan"]


def test_editing_changes_name_title_duty_and_roles_and_is_audited(world, login) -> None:
    client = login(world.unit_admin)
    response = client.post(
        reverse("person-edit", args=[world.colleague.pk]),
        {
            "unit": world.commune_a.pk,
            "full_name": "Phạm  Thị Lan",
            "title": "Công chức Tư pháp - Hộ tịch",
            "duty": "tu-phap",
            "roles": ["contributor", "leader"],
        },
    )
    assert response.status_code == 302
    rows = Membership.objects.filter(user=world.colleague).order_by("role")
    assert list(rows.values_list("role", "duty", "title")) == [
        ("contributor", "tu-phap", "Công chức Tư pháp - Hộ tịch"),
        ("leader", "tu-phap", "Công chức Tư pháp - Hộ tịch"),
    ]
    event = AuditEvent.objects.get(action="person-changed")
    assert (event.target, event.before["units"], event.after["name"]) == (
        "colleague",
        {"XA": {"roles": ["contributor"], "duty": "", "title": ""}},
        "Phạm Thị Lan",
    )


def test_a_deactivated_person_stays_with_their_history_and_cannot_log_in(world, login) -> None:
    client = login(world.unit_admin)
    url = reverse("person-active", args=[world.officer.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.is_active is False
    assert _logs_in("officer", "mat-khau-thu") is False
    assert list(
        AuditEvent.objects.filter(action="person-deactivated").values_list(
            "user__username", "target", "before", "after"
        )
    ) == [("unit_admin", "officer", {"active": True}, {"active": False})]


def test_a_reset_password_replaces_the_old_one_and_must_be_changed(world, login) -> None:
    assert _logs_in("officer", "mat-khau-thu") is True
    response = login(world.unit_admin).post(reverse("person-password", args=[world.officer.pk]))
    temporary = _shown_password(response, "officer")
    assert _logs_in("officer", "mat-khau-thu") is False
    her = Client()
    her.post(reverse("login"), {"username": "officer", "password": temporary})
    assert her.get(reverse("my-work"))["Location"] == reverse("password-change")
    assert AuditEvent.objects.filter(action="password-reset", target="officer").count() == 1


def _refusal(response) -> tuple[int, str]:
    found = re.search(r'id="refusal">(.*?)</p>', response.content.decode())
    return response.status_code, found.group(1) if found else ""


CONTRIBUTOR_REFUSAL = "Chỉ quản trị đơn vị hoặc quản trị hệ thống được quản lý người dùng."


def test_a_contributor_and_a_reviewer_reach_none_of_the_people_pages(world, login) -> None:
    for persona in (world.officer, world.reviewer, world.leader):
        client = login(persona)
        answers = [
            _refusal(client.get(reverse(name)))
            for name in ("people-list", "person-add", "people-import")
        ]
        answers.append(_refusal(client.get(reverse("person-edit", args=[world.colleague.pk]))))
        answers.append(_refusal(client.post(reverse("person-password", args=[world.colleague.pk]))))
        assert answers == [(403, CONTRIBUTOR_REFUSAL)] * 5, persona.username


def test_a_unit_admin_cannot_manage_a_sibling_communes_people(world, login) -> None:
    client = login(world.unit_admin)
    outsider = world.outsider.pk
    refusal = (
        403,
        "outsider thuộc Xã Bình, đơn vị bạn không quản lý, nên bạn không sửa được tài khoản này.",
    )
    assert _refusal(client.get(reverse("person-edit", args=[outsider]))) == refusal
    assert _refusal(client.post(reverse("person-password", args=[outsider]))) == refusal
    assert (
        _refusal(client.post(reverse("person-active", args=[outsider]), {"active": "0"})) == refusal
    )
    added = _add(client, world.commune_b, username="binh.moi")
    assert _refusal(added) == (
        403,
        "Bạn không phải quản trị của Xã Bình hay đơn vị cấp trên của nó nên không quản lý "
        "được người dùng của đơn vị này.",
    )
    listed = client.get(reverse("people-list")).content.decode()
    assert re.findall(r'data-username="([^"]+)"', listed) == [
        "colleague",
        "leader",
        "officer",
        "unit_admin",
    ]
    world.outsider.refresh_from_db()
    assert (world.outsider.is_active, User.objects.filter(username="binh.moi").exists()) == (
        True,
        False,
    )
    assert AuditEvent.objects.filter(action__startswith="person").count() == 0


def test_a_person_who_also_belongs_to_a_unit_above_is_not_the_communes_to_manage(world) -> None:
    Membership.objects.create(user=world.reviewer, unit=world.commune_a, role=Role.CONTRIBUTOR)
    with pytest.raises(NotAllowed) as refused:
        reset_password(by=world.unit_admin, person=world.reviewer)
    assert str(refused.value) == (
        "reviewer thuộc Tỉnh Thử, đơn vị bạn không quản lý, nên bạn không sửa được tài khoản này."
    )


def test_a_system_administrator_sees_and_manages_everyone(world, login) -> None:
    root = User.objects.create_superuser("root", password="x")
    client = login(root)
    listed = client.get(reverse("people-list")).content.decode()
    assert sorted(set(re.findall(r'data-username="([^"]+)"', listed))) == sorted(
        [
            "colleague",
            "leader",
            "ministry_reviewer",
            "officer",
            "outsider",
            "reviewer",
            "unit_admin",
        ]
    )
    assert client.post(reverse("person-password", args=[world.outsider.pk])).status_code == 200

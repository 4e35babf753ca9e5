"""A list of people pasted from Excel or read from an .xlsx, checked row by row before saving.

Columns, in this order: họ tên, tên đăng nhập, chức vụ, nhiệm vụ, vai trò (several
roles separated by «,» or «;»). A first row of column names is skipped. Nothing
is saved while any row has a problem; the review says which row and what.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower

from cchc.web.organisation.models import OrgUnit, Role
from cchc.web.organisation.people import add_person

MAX_ROWS = 500
COLUMNS = ("họ tên", "tên đăng nhập", "chức vụ", "nhiệm vụ", "vai trò")
_USERNAME = re.compile(r"[\w.@+-]{1,150}")
# What people write in the role column, normalised (lower case, no diacritics).
_ROLE_WORDS = {
    "contributor": Role.CONTRIBUTOR,
    "cong chuc": Role.CONTRIBUTOR,
    "cong chuc nhap lieu": Role.CONTRIBUTOR,
    "nhap lieu": Role.CONTRIBUTOR,
    "leader": Role.LEADER,
    "lanh dao": Role.LEADER,
    "reviewer": Role.REVIEWER,
    "noi vu": Role.REVIEWER,
    "can bo noi vu": Role.REVIEWER,
    "unit_admin": Role.UNIT_ADMIN,
    "quan tri": Role.UNIT_ADMIN,
    "quan tri don vi": Role.UNIT_ADMIN,
}
for _value, _label in Role.choices:
    _ROLE_WORDS.setdefault(str(_label), Role(_value))


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


_ROLE_WORDS = {_plain(k): v for k, v in _ROLE_WORDS.items()}


@dataclass
class PersonRow:
    line: int
    full_name: str
    username: str
    title: str
    duty: str  # the duty id (vp-noi-vu), or what was written when unknown
    roles: list[str]
    problems: list[str] = field(default_factory=list)


class ImportProblem(ValueError):
    """The file or text cannot be read at all; the message is Vietnamese."""


def text_from_xlsx(data: bytes) -> str:
    """The first sheet as tab-separated text, the same as copying it from Excel."""
    from openpyxl import load_workbook  # noqa: PLC0415 — openpyxl loads only for a workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportProblem("Tệp không phải bảng tính Excel (.xlsx) đọc được.") from exc
    lines: list[str] = []
    for row in book.worksheets[0].iter_rows(values_only=True):
        if len(lines) > MAX_ROWS + 1:
            break
        cells = ["" if c is None else " ".join(str(c).split()) for c in row[:8]]
        lines.append("\t".join(cells).rstrip("\t"))
    book.close()
    return "\n".join(lines)


def read_rows(text: str, *, duties: dict[str, str]) -> list[PersonRow]:
    """Each non-blank line as a row with its problems; `duties` maps duty id → title."""
    by_title = {_plain(title): duty for duty, title in duties.items()}
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if lines and _plain(lines[0][1].split("\t")[0]) in {"ho ten", "ho va ten"}:
        lines = lines[1:]
    if len(lines) > MAX_ROWS:
        raise ImportProblem(f"Danh sách có {len(lines)} dòng; mỗi lần nhập tối đa {MAX_ROWS}.")
    rows = []
    for n, line in lines:
        cells = [" ".join(c.split()) for c in line.split("\t")] + [""] * 5
        name, username, title, duty_text, role_text = cells[:5]
        row = PersonRow(n, name, username, title, duty_text, [])
        if len([c for c in cells[5:] if c]):
            row.problems.append(f"có hơn {len(COLUMNS)} cột ({', '.join(COLUMNS)})")
        if not name:
            row.problems.append("thiếu họ tên")
        if not username:
            row.problems.append("thiếu tên đăng nhập")
        elif not _USERNAME.fullmatch(username):
            row.problems.append(
                f"tên đăng nhập «{username}» chỉ được gồm chữ không dấu, số và . @ + - _"
            )
        if duty_text:
            duty = duty_text if duty_text in duties else by_title.get(_plain(duty_text))
            if duty is None:
                row.problems.append(f"nhiệm vụ «{duty_text}» không có trong các mẫu báo cáo")
            else:
                row.duty = duty
        for word in filter(None, (w.strip() for w in re.split(r"[,;]", role_text))):
            role = _ROLE_WORDS.get(_plain(word))
            if role is None:
                row.problems.append(
                    f"vai trò «{word}» không có (công chức, lãnh đạo, nội vụ, quản trị)"
                )
            elif role not in row.roles:
                row.roles.append(role)
        if not role_text:
            row.roles.append(Role.CONTRIBUTOR)
        rows.append(row)
    _mark_duplicates(rows)
    return rows


def _mark_duplicates(rows: list[PersonRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        key = row.username.lower()
        if not key:
            continue
        if key in seen:
            row.problems.append(f"tên đăng nhập «{row.username}» trùng dòng {seen[key]}")
        else:
            seen[key] = row.line
    taken = set(
        get_user_model()
        .objects.annotate(login=Lower("username"))
        .filter(login__in=list(seen))
        .values_list("login", flat=True)
    )
    for row in rows:
        if row.username.lower() in taken and seen.get(row.username.lower()) == row.line:
            row.problems.append(f"tên đăng nhập «{row.username}» đã có người dùng")


def import_people(*, by, unit: OrgUnit, rows: list[PersonRow]) -> list[tuple[object, str]]:
    """All rows or none: each new person with the temporary password to hand them."""
    if any(row.problems for row in rows):
        raise ImportProblem("Danh sách còn dòng có vấn đề; chưa lưu ai.")
    made = []
    with transaction.atomic():
        for row in rows:
            made.append(
                add_person(
                    by=by,
                    unit=unit,
                    full_name=row.full_name,
                    username=row.username,
                    roles=row.roles,
                    duty=row.duty,
                    title=row.title,
                )
            )
    return made

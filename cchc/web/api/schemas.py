"""What the API reads and answers, as typed schemas: the OpenAPI description is made from them.

What is read is a plain pydantic model: ninja's `Schema` reads attributes of any
object, so a string where an object belongs would pass as an empty value.
Limits on lengths are documented (`maxLength`) but checked by the entry rules
(`reporting.entry.saving`), which name every value over its limit in Vietnamese.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import BaseModel, Field

from cchc.core.limits import MAX_NOTE_CHARS, MAX_RAW_CHARS, MAX_SECTION_CHARS


class ValueIn(BaseModel):
    raw: str | int | float | None = Field(
        None,
        description="giá trị như người nhập (78,94 / 1.102 / Có); số tối đa 18 chữ số phần "
        "nguyên, 15 chữ số thập phân; bỏ trường này thì giữ giá trị cũ",
        json_schema_extra={"maxLength": MAX_RAW_CHARS},
    )
    note: str | None = Field(None, json_schema_extra={"maxLength": MAX_NOTE_CHARS})
    version: int | None = Field(None, description="phiên bản đã đọc; 0 nếu chưa có")


class ValuesIn(BaseModel):
    form: str = Field(description="mã biểu, ví dụ BM1")
    values: dict[str, ValueIn] = Field(description="theo mã chỉ tiêu")


class SectionIn(BaseModel):
    text: str = Field("", json_schema_extra={"maxLength": MAX_SECTION_CHARS})
    version: int | None = Field(None, description="phiên bản đã đọc; 0 nếu chưa có")


class ValueOut(Schema):
    raw: str
    note: str
    version: int


class SectionOut(Schema):
    text: str
    version: int


class FindingOut(Schema):
    rule: str
    severity: str
    form: str
    codes: list[str]
    labels: list[str]
    values: dict[str, Any] = Field(
        description="các con số của quy tắc; với nội dung mục: mã mục, câu và vị trí câu"
    )
    message: str
    line: int | None


class ReportOut(Schema):
    id: int
    unit: str
    round: str
    period: str
    template: str
    state: str
    values: dict[str, dict[str, ValueOut]] = Field(description="theo mã biểu, rồi mã chỉ tiêu")
    sections: dict[str, SectionOut] = Field(description="theo mã mục đề cương")
    computed: dict[str, dict[str, float | None]] = Field(description="tỷ lệ tính được")
    findings: list[FindingOut]
    narrative_findings: list[FindingOut] = Field(
        description="kiểm tra các con số trong nội dung các mục"
    )


class ConflictOut(Schema):
    current: str = Field(description="giá trị hiện có, do người khác vừa lưu")
    version: int
    by: str


class SavedReportOut(ReportOut):
    saved: dict[str, int] = Field(description="phiên bản mới, theo mã chỉ tiêu")
    conflicts: dict[str, ConflictOut] = Field(description="không ghi đè, theo mã chỉ tiêu")


class SectionTextOut(Schema):
    code: str
    text: str
    version: int


class SectionSavedOut(Schema):
    code: str
    version: int


class SectionConflictOut(Schema):
    conflict: ConflictOut


class ErrorOut(Schema):
    error: str = Field(description="lý do, bằng tiếng Việt")
    problems: dict[str, str] | None = Field(
        None, description="giá trị vượt giới hạn, theo mã chỉ tiêu (hoặc mã mục): lý do"
    )


class NotLoggedInOut(Schema):
    error: str
    login_url: str = Field(description="trang đăng nhập, trở lại trang đang mở")

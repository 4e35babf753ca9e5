"""The document details a report starts with: what the office would type at the top and
bottom of its Word file, suggested from its unit, the round and its previous report.

The leader edits them on «Thông tin văn bản»; this only proposes. A previous report
of the same unit is the best guide (offices send the same Kính gửi, Nơi nhận and
signer block every period); without one the details follow the unit's name and
the unit that asked for the report. The number is never copied: it comes from the
unit's number book.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from cchc.core.report_content import DocumentHeader
from cchc.core.text import fold

__all__ = [
    "LIST_LABELS",
    "agency_name",
    "is_list_label",
    "issuing_body_of",
    "place_of",
    "suggest_header",
]

_SHORT = {"ubnd": "Ủy ban nhân dân", "hđnd": "Hội đồng nhân dân", "hdnd": "Hội đồng nhân dân"}
# The two lists some offices write in place of one `Nơi nhận`, kept in the
# distribution as items of their own ending in `:`.
LIST_LABELS = ("gui ban giay", "gui ban dien tu")
_LEVEL_WORDS = ("xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "thành phố", "tỉnh")


def is_list_label(item: str) -> bool:
    """Whether a distribution item is a list's label (`Gửi bản giấy:`), not a recipient."""
    return item.rstrip().endswith(":") and fold(item).startswith(LIST_LABELS)


def agency_name(unit: str) -> str:
    """A unit's name in running text, its abbreviation spelled out
    (`UBND xã Hương Sơn` → `Ủy ban nhân dân xã Hương Sơn`)."""
    unit = unit.strip()
    head, _, rest = unit.partition(" ")
    spelled = _SHORT.get(head.casefold())
    return f"{spelled} {rest.strip()}" if spelled and rest.strip() else unit


def issuing_body_of(unit: str) -> str:
    """The issuing body as the header prints it, in capitals
    (`UBND xã Hương Sơn` → `ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN`)."""
    return agency_name(unit).upper()


def place_of(unit: str) -> str:
    """The place name of the date line: the name after the unit's kind
    (`UBND xã Hương Sơn` → `Hương Sơn`, `Sở Nội vụ Thành phố Huế` → `Huế`);
    "" when the name has no place in it (the leader writes it)."""
    name = agency_name(unit)
    folded = fold(name)
    if len(folded) != len(name):  # a letter fold does not map one to one: no guessing
        return ""
    best = -1
    for word in _LEVEL_WORDS:
        key = fold(word) + " "
        at = 0 if folded.startswith(key) else folded.rfind(" " + key) + 1
        if at > 0 or folded.startswith(key):
            best = max(best, at + len(key))
    return name[best:].strip() if best >= 0 else ""


def _committee_of(unit: str) -> str:
    """The People's Committee that issues a local unit's reports (`Xã An` →
    `ỦY BAN NHÂN DÂN XÃ AN`), or "" for a unit that is not local government."""
    name = agency_name(unit)
    folded = fold(name)
    if folded.startswith("uy ban nhan dan"):
        return name.upper()
    if any(folded.startswith(fold(word) + " ") for word in _LEVEL_WORDS):
        return f"ỦY BAN NHÂN DÂN {name}".upper()
    return ""


def suggest_header(
    *,
    unit: str,
    recipient: str,
    period_label: str,
    today: date,
    leader: str = "",
    previous: DocumentHeader | None = None,
    same_recipient: bool = True,
) -> DocumentHeader:
    """The details to start from.

    `unit` is the reporting unit's name, `recipient` the unit that opened the
    round (Kính gửi), `period_label` the period as written (`6 tháng đầu năm
    2024`), `leader` the unit's leader (the signer when nothing better is known).
    With a `previous` header, everything but the number, the date and the summary
    is taken from it, and its Kính gửi too when that report went to the same unit
    (`same_recipient`; after a reorganisation the report goes elsewhere).
    """
    summary = f"Kết quả thực hiện công tác cải cách hành chính {period_label[:1].lower()}"
    summary += period_label[1:]
    fresh = _fresh(unit, recipient, summary, today, leader)
    if previous is None:
        return fresh
    # What the previous report left empty (an imported one may lack its issuing body)
    # is filled as for a first report.
    kept = {
        f.name: getattr(previous, f.name) or getattr(fresh, f.name) for f in fields(DocumentHeader)
    }
    return replace(
        DocumentHeader(**kept),
        number="",
        date=today,
        summary=summary,
        recipients=list(kept["recipients"]) if same_recipient else fresh.recipients,
        signing_authority=list(kept["signing_authority"]),
        distribution=list(kept["distribution"]),
    )


def _fresh(unit: str, recipient: str, summary: str, today: date, leader: str) -> DocumentHeader:
    """The details of a unit's first report."""
    committee = _committee_of(unit)
    department = fold(unit).startswith("so ")
    return DocumentHeader(
        issuing_body=committee or issuing_body_of(unit),
        number="",
        symbol="BC-UBND" if committee else "BC",
        place=place_of(unit),
        date=today,
        summary=summary,
        recipients=[agency_name(recipient)] if recipient.strip() else [],
        signing_authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
        if committee
        else (["GIÁM ĐỐC"] if department else []),
        signer=leader,
        distribution=["Như trên", "Lưu: VT"],
    )

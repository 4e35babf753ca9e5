"""The report frozen at approval: a canonical snapshot and its SHA-256 fingerprint.

What the leader signs is this snapshot, rendered. The fingerprint is written
into the PDF, so an uploaded signed file can be tied to the exact version that
was approved; any later change to a value, a note, a section text or a document
detail gives another fingerprint and needs a new signature. The same content
approved again gives the same fingerprint, so re-approving without changes
keeps a signature valid.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from cchc.core.report_content import DocumentHeader, NarrativePart, ReportContent
from cchc.core.values import Entry, ReportValues

__all__ = [
    "FINGERPRINT_PREFIX",
    "SNAPSHOT_SCHEMA",
    "Snapshot",
    "content_of",
    "fingerprint_in",
    "fingerprint_of",
    "freeze",
    "names_match",
]

SNAPSHOT_SCHEMA = "cchc.snapshot/1"
# How the fingerprint is written in the PDF's keywords (document information and XMP).
FINGERPRINT_PREFIX = "cchc-sha256-"  # LibreOffice splits keywords at ":"


@dataclass(frozen=True)
class Snapshot:
    data: dict[str, Any]
    fingerprint: str  # 64 hex digits

    @property
    def keyword(self) -> str:
        return f"{FINGERPRINT_PREFIX}{self.fingerprint}"


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def fingerprint_of(data: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(data)).hexdigest()


def freeze(content: ReportContent, *, report_id: int, unit_code: str, round_id: int) -> Snapshot:
    """The snapshot of one report of one round: values, notes, texts, document details.

    Empty values are left out (an emptied cell and a never-typed one are the same
    document); texts are NFC so the same words typed on two machines agree.
    """
    values: dict[str, dict[str, dict[str, str]]] = {}
    for form, entries in content.values.items():
        for code, entry in entries.items():
            raw, note = _nfc(entry.raw.strip()), _nfc(entry.note.strip())
            if raw or note:
                values.setdefault(form, {})[code] = {"raw": raw, "note": note}
    narrative = [
        {"code": p.code, "number": p.number, "title": p.title, "level": p.level, "text": p.text}
        for p in content.narrative
        if p.text.strip()
    ]
    data = {
        "schema": SNAPSHOT_SCHEMA,
        "report": {"id": report_id, "unit_code": unit_code, "round_id": round_id},
        "template": content.template_id,
        "unit": content.unit,
        "period": content.period,
        "header": content.header.to_json(),
        "narrative": [
            {k: _nfc(v) if isinstance(v, str) else v for k, v in p.items()} for p in narrative
        ],
        "values": values,
    }
    return Snapshot(data=data, fingerprint=fingerprint_of(data))


def content_of(data: dict[str, Any]) -> ReportContent:
    """The report content a snapshot froze, for the writers (the PDF to sign)."""
    values: ReportValues = {
        form: {code: Entry(raw=e["raw"], note=e["note"]) for code, e in entries.items()}
        for form, entries in data["values"].items()
    }
    return ReportContent(
        template_id=data["template"],
        values=values,
        unit=data["unit"],
        period=data["period"],
        header=DocumentHeader.from_json(data["header"]),
        narrative=[  # not from_json: it reads level 0 (the opening text) as 1
            NarrativePart(
                code=p["code"],
                title=p["title"],
                text=p["text"],
                number=p["number"],
                level=p["level"],
            )
            for p in data["narrative"]
        ],
    )


def fingerprint_in(keywords: str) -> str | None:
    """The fingerprint written in a PDF's keywords, if there is one."""
    for word in keywords.replace(",", " ").split():
        if word.startswith(FINGERPRINT_PREFIX):
            return word.removeprefix(FINGERPRINT_PREFIX).lower()
    return None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str, *, keep_marks: bool) -> list[str]:
    text = unicodedata.normalize("NFC", text).casefold()
    if not keep_marks:
        text = unicodedata.normalize("NFD", text.replace("đ", "d"))
        text = "".join(c for c in text if not unicodedata.combining(c))
    cleaned = "".join(c if c.isalnum() else " " for c in text)
    return cleaned.split()


def names_match(expected: str, certificate_name: str) -> bool:
    """Whether a certificate's name is the expected signer's.

    Case never matters. Diacritics matter when the certificate has them («Thành»
    is not «Thanh»); a certificate issued without them («NGO VAN THANH», as
    older ones were) is compared without them. The name may stand inside a
    longer common name, as one of its parts («Ngô Văn Thành - Chủ tịch UBND xã …»),
    never as the start of a longer name («Ngô Văn Thành Long»).
    """
    keep = not certificate_name.isascii()
    want = _words(expected, keep_marks=keep)
    parts = re.split(r"[-–,;:()/|]", certificate_name)
    return bool(want) and any(_words(part, keep_marks=keep) == want for part in parts)

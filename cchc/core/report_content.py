"""One unit's report as a whole: document header, narrative by outline section, values.

This is what every reader produces and every writer consumes (text, Word,
Excel, the web form), and what the values file (`cchc.values/1`) stores, so a
report read from one place can be checked and written again anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from cchc.core.figures import format_figure
from cchc.core.reading import ReadReport, read_report
from cchc.core.templates import Kind, ReportTemplate
from cchc.core.validation import Finding
from cchc.core.values import Entry, ReportValues, Source, entry_from_json, entry_to_json

__all__ = [
    "VALUES_SCHEMA",
    "DocumentHeader",
    "NarrativePart",
    "ReportContent",
    "values_document",
    "with_computed",
]

VALUES_SCHEMA = "cchc.values/1"


@dataclass
class DocumentHeader:
    """The facts of the document around the figures (Decree 30 layout elements)."""

    governing_body: str = ""  # cơ quan chủ quản, e.g. "UBND HUYỆN NAM ĐÔNG"
    issuing_body: str = ""  # cơ quan ban hành, e.g. "ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN"
    number: str = ""  # "341"
    symbol: str = ""  # "BC-UBND"
    place: str = ""  # "Hương Sơn"
    date: date | None = None
    doc_type: str = "BÁO CÁO"
    summary: str = ""  # trích yếu
    recipients: list[str] = field(default_factory=list)  # Kính gửi
    signing_authority: list[str] = field(
        default_factory=list
    )  # ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    signer: str = ""
    distribution: list[str] = field(default_factory=list)  # Nơi nhận

    def to_json(self) -> dict[str, Any]:
        return {
            "governing_body": self.governing_body,
            "issuing_body": self.issuing_body,
            "number": self.number,
            "symbol": self.symbol,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "doc_type": self.doc_type,
            "summary": self.summary,
            "recipients": list(self.recipients),
            "signing_authority": list(self.signing_authority),
            "signer": self.signer,
            "distribution": list(self.distribution),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentHeader:
        raw_date = data.get("date")
        return cls(
            governing_body=str(data.get("governing_body") or ""),
            issuing_body=str(data.get("issuing_body") or ""),
            number=str(data.get("number") or ""),
            symbol=str(data.get("symbol") or ""),
            place=str(data.get("place") or ""),
            date=date.fromisoformat(raw_date) if raw_date else None,
            doc_type=str(data.get("doc_type") or "BÁO CÁO"),
            summary=str(data.get("summary") or ""),
            recipients=[str(x) for x in data.get("recipients") or []],
            signing_authority=[str(x) for x in data.get("signing_authority") or []],
            signer=str(data.get("signer") or ""),
            distribution=[str(x) for x in data.get("distribution") or []],
        )


@dataclass
class NarrativePart:
    """The text written under one outline heading (code "" is the opening text)."""

    code: str
    title: str
    text: str = ""
    number: str = ""
    level: int = 1
    line: int | None = None
    lines: list[int] = field(default_factory=list)  # source line of each paragraph of `text`

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "number": self.number,
            "title": self.title,
            "level": self.level,
            "line": self.line,
            "text": self.text,
            **({"lines": list(self.lines)} if self.lines else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NarrativePart:
        return cls(
            code=str(data.get("code") or ""),
            title=str(data.get("title") or ""),
            text=str(data.get("text") or ""),
            number=str(data.get("number") or ""),
            level=int(data.get("level") or 1),
            line=data.get("line"),
            lines=[int(n) for n in data.get("lines") or [] if isinstance(n, int)],
        )


@dataclass
class ReportContent:
    template_id: str
    values: ReportValues
    unit: str = ""
    period: str = ""  # Period.key, e.g. "2024-H1"
    header: DocumentHeader = field(default_factory=DocumentHeader)
    narrative: list[NarrativePart] = field(default_factory=list)
    # The values as read (`read_report`), kept so no writer reads them again.
    read: ReadReport | None = field(default=None, compare=False, repr=False)

    def value(self, form: str, code: str) -> Entry | None:
        return self.values.get(form, {}).get(code)

    def reading(self, template: ReportTemplate) -> ReadReport:
        """The values as read with `template`: the reading already made, else made
        now and kept. A cell changed or filled in since is read again when asked for
        (`ReadReport.read`)."""
        read = self.read
        if read is None or read.template.forms != template.forms:
            read = self.read = read_report(template, self.values)
        return read

    @classmethod
    def from_values_document(cls, data: dict[str, Any], file: str = "") -> ReportContent:
        """Read a `cchc.values/1` document (values as numbers or text, notes, provenance)."""
        notes = data.get("notes") or {}
        provenance = data.get("provenance") or {}
        values: ReportValues = {}
        for form_code, form_values in (data.get("values") or {}).items():
            for code, value in (form_values or {}).items():
                prov = (provenance.get(form_code) or {}).get(code) or {}
                source = Source(
                    str(prov.get("file", file)),
                    prov.get("line"),
                    str(prov.get("stt", "")),
                    str(prov.get("name", "")),
                )
                note = str((notes.get(form_code) or {}).get(code, ""))
                values.setdefault(str(form_code), {})[str(code)] = entry_from_json(
                    value, note=note, source=source
                )
        return cls(
            template_id=str(data.get("template") or ""),
            values=values,
            unit=str(data.get("unit") or ""),
            period=str(data.get("period") or ""),
            header=DocumentHeader.from_json(data.get("header") or {}),
            narrative=[NarrativePart.from_json(p) for p in data.get("narrative") or []],
        )


def with_computed(
    content: ReportContent,
    computed: dict[tuple[str, str], Decimal | None],
    template: ReportTemplate,
) -> ReportContent:
    """The content with every rate the unit left blank filled in as the core computed
    it (`78,95`, two decimals, as the form page shows it; a computed count `5`, by
    `format_figure`), for the writers.

    A rate the unit typed stays as typed: that reported figure is what validation
    compares with the formula. A rate that cannot be computed (0/0) stays blank.
    """
    values: ReportValues = {form: dict(entries) for form, entries in content.values.items()}
    for (form, code), value in computed.items():
        entry = values.get(form, {}).get(code)
        if value is None or (entry is not None and entry.raw.strip()):
            continue
        note = entry.note if entry is not None else ""
        ind = template.indicator(form, code)
        kind = ind.kind if ind is not None else Kind.RATE
        raw = format_figure(value, kind, percent=False)
        values.setdefault(form, {})[code] = Entry(raw=raw, note=note)
    return replace(content, values=values)


def values_document(
    content: ReportContent,
    template: ReportTemplate,
    *,
    how: str = "named",
    findings: list[Finding] | None = None,
    template_data: dict[str, Any] | None = None,
    tables: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The `cchc.values/1` document: values as plain numbers when certain, else as written."""
    values: dict[str, dict[str, Any]] = {}
    notes: dict[str, dict[str, str]] = {}
    provenance: dict[str, dict[str, Any]] = {}
    reading = content.reading(template)
    for form_code, form_values in content.values.items():
        form = template.form(form_code)
        for code, entry in form_values.items():
            ind = form.get(code) if form else None
            read = reading.read(form_code, ind, entry.raw) if ind else None
            if entry.raw.strip():
                values.setdefault(form_code, {})[code] = entry_to_json(
                    entry, read.value if read else None, bool(read and read.ambiguous)
                )
            if entry.note:
                notes.setdefault(form_code, {})[code] = entry.note
            if entry.source:
                provenance.setdefault(form_code, {})[code] = {
                    **entry.source.to_json(),
                    "raw": entry.raw,
                }
    out: dict[str, Any] = {
        "schema": VALUES_SCHEMA,
        "template": template.id,
        "template_how": how,
        "unit": content.unit,
        "period": content.period,
        "values": values,
        "notes": notes,
        "header": content.header.to_json(),
        "narrative": [p.to_json() for p in content.narrative],
        "tables": tables or [],
        "provenance": provenance,
        "import_findings": [f.to_json() for f in findings or []],
    }
    if template_data is not None:
        out["template_data"] = template_data
    return out

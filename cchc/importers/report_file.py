"""Import a report file: read it, choose or infer its template, collect its values.

This is the one function behind `cchc import` and `cchc validate` for report
files; it returns values with provenance plus the structural findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cchc.core.numbers import format_number, format_percent
from cchc.core.periods import parse_period_label
from cchc.core.reading import ReadReport, read_report
from cchc.core.report_content import DocumentHeader, NarrativePart, ReportContent
from cchc.core.templates import ReportTemplate, Severity, TemplateError, format_path
from cchc.core.text import fold
from cchc.core.validation import Finding
from cchc.core.values import ReportValues
from cchc.importers.errors import ImportError_, NoTablesError
from cchc.importers.inference import infer_template, infer_template_data
from cchc.importers.mapping import match_template
from cchc.importers.safety import MAX_TEXT_BYTES, UnsafeFileError, check_upload_size
from cchc.importers.seed_text import TextDocument, read_text_report

__all__ = [
    "AUTO_THRESHOLD",
    "ImportResult",
    "import_report",
    "narrative_parts",
    "read_report_file",
]

AUTO_THRESHOLD = 0.85  # share of table rows a registered template must match to be chosen


@dataclass
class ImportResult:
    document: TextDocument
    template: ReportTemplate
    how: str  # "named", "auto" or "inferred"
    score: float
    values: ReportValues
    findings: list[Finding]
    template_data: dict[str, Any] | None = (
        None  # set when inferred, so the values can be re-checked
    )
    candidates: list[tuple[str, float]] = field(default_factory=list)
    read: ReadReport | None = None  # the values as read, handed on to the writers


def read_report_file(path: str | Path) -> TextDocument:
    """Read a report: `.docx` (Word), `.xlsx` (Excel), else text (the seed format).

    Word and Excel files are checked (size, zip bombs, DOCTYPE/ENTITY parts)
    before any parser sees them, a text file for its size (MAX_TEXT_BYTES); every
    failure is an ImportError_ naming the file.
    """

    p = Path(path)
    kind = p.suffix.lower().lstrip(".")
    try:
        limit = None if kind in ("docx", "xlsx") else MAX_TEXT_BYTES
        check_upload_size(p.stat().st_size, str(p), limit=limit)
        data = p.read_bytes()
    except OSError as exc:
        raise ImportError_(f"{p}: không mở được tệp ({exc.strerror or exc}).") from exc
    except UnsafeFileError as exc:
        raise ImportError_(str(exc)) from exc
    if kind in ("docx", "xlsx"):
        try:
            if kind == "docx":
                from cchc.importers.docx_reader import read_docx_report  # noqa: PLC0415 — a reader's libraries load only for its file type

                return read_docx_report(data, p.name)
            from cchc.importers.xlsx_reader import read_xlsx_report  # noqa: PLC0415 — a reader's libraries load only for its file type

            return read_xlsx_report(data, p.name)
        except ImportError_:
            raise
        except ValueError as exc:  # UnsafeFileError, DocxReadError: the message names the file
            raise ImportError_(str(exc)) from exc
    if b"\x00" in data[:4096]:
        raise ImportError_(f"{p}: không phải tệp văn bản (có byte rỗng); hãy dùng tệp .txt UTF-8.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportError_(f"{p}, dòng {line}: không phải văn bản UTF-8.") from exc
    return read_text_report(text, p.name)


def _document_findings(doc: TextDocument) -> list[Finding]:
    from cchc.importers.header_facts import symbol_names_other_body  # noqa: PLC0415 — header_facts reads through this module
    from cchc.importers.legacy_fonts import describe  # noqa: PLC0415 — viparse loads only here

    h = doc.header
    out: list[Finding] = []
    if doc.conversions:
        out.append(
            Finding(
                "legacy-encoding",
                Severity.INFO,
                f"{doc.file}: tệp gõ bằng bảng mã cũ; {describe(doc.conversions)}.",
                values={
                    enc: sum(c.pieces for c in doc.conversions if c.encoding == enc)
                    for enc in dict.fromkeys(c.encoding for c in doc.conversions)
                },
            )
        )
    if h.draft_date:
        out.append(
            Finding(
                "document-draft",
                Severity.INFO,
                f"Ngày ban hành để trống («{h.place}, ngày …»): văn bản là bản dự thảo, "
                "chưa ký ban hành; ngày sẽ ghi khi ký.",
                line=h.line_of.get("date"),
            )
        )
    if symbol_names_other_body(h):
        out.append(
            Finding(
                "document-issuer",
                Severity.WARNING,
                f"Ký hiệu «{h.symbol}» là của {h.governing_body}, nhưng cơ quan ban hành "
                f"in ở đầu văn bản là {h.issuing_body}; hãy kiểm tra ai ban hành văn bản.",
                line=h.line_of.get("number"),
            )
        )
    if h.symbol:
        kind = h.symbol.split("-")[0]
        if fold(kind) == "cv":
            out.append(
                Finding(
                    "document-symbol",
                    Severity.WARNING,
                    f"Số, ký hiệu «{h.number}/{h.symbol}»: «CV» không phải chữ viết tắt "
                    "tên loại văn bản; "
                    "công văn không có tên loại trong ký hiệu (ví dụ «12/UBND-VX»).",
                    line=h.line_of.get("number"),
                )
            )
    return out


def import_report(
    path: str | Path,
    template: str | ReportTemplate = "auto",
    registered: dict[str, ReportTemplate] | None = None,
) -> ImportResult:
    """Read a report and map it onto `template` (an id, a template, "auto" or "infer")."""
    from cchc.bundled_templates import get_template, registry  # noqa: PLC0415 — the bundled YAML is read only when no template is given

    doc = read_report_file(path)
    if not doc.tables:
        raise NoTablesError(
            f"{Path(path)}: không tìm thấy bảng số liệu nào "
            "(dòng tiêu đề «STT … Chỉ tiêu thống kê»).",
            doc,
        )
    templates = registered if registered is not None else registry()
    candidates: list[tuple[str, float]] = []
    if isinstance(template, ReportTemplate):
        match, how = match_template(doc.tables, template, doc.file), "named"
    elif template not in ("auto", "infer"):
        match, how = match_template(doc.tables, get_template(template), doc.file), "named"
    else:
        match, how = None, "inferred"
        if template == "auto":
            matches = [match_template(doc.tables, t, doc.file) for t in templates.values()]
            candidates = sorted(
                ((m.template.id, round(m.score, 3)) for m in matches), key=lambda c: -c[1]
            )
            best = max(matches, key=lambda m: m.score, default=None)
            if best and best.score >= AUTO_THRESHOLD:
                match, how = best, "auto"
    data = None
    if match is None:
        data = infer_template_data(doc.tables, doc.file)
        try:
            inferred = infer_template(doc.tables, doc.file)
        except TemplateError as exc:  # a table beyond the template limits, say
            raise ImportError_(
                f"{Path(path)}: không suy ra được mẫu từ bảng số liệu: "
                + "; ".join(f"{format_path(p.path)}: {p.message}" for p in exc.problems[:5])
            ) from exc
        match = match_template(doc.tables, inferred, doc.file)
    read = read_report(match.template, match.values)
    return ImportResult(
        document=doc,
        template=match.template,
        how=how,
        score=match.score,
        values=match.values,
        findings=_document_findings(doc) + match.findings + blank_rates(read, doc),
        template_data=data,
        candidates=candidates,
        read=read,
    )


def blank_rates(checked: ReadReport, doc: TextDocument | None = None) -> list[Finding]:
    """A rate the file leaves blank while its operands are there: said, with the
    value it should have (the table is read as written; nothing is filled in)."""
    template, values = checked.template, checked.entries
    read = {**checked.values, **{k: v for k, v in checked.computed.items() if v is not None}}
    lines = {fold(r.name): r.line for t in (doc.tables if doc else []) for r in t.rows if r.name}
    out: list[Finding] = []
    for form in template.forms:
        for ind in form.indicators:
            entry = values.get(form.code, {}).get(ind.code)
            value = checked.computed.get((form.code, ind.code))
            if ind.formula is None or value is None or (entry is not None and entry.raw.strip()):
                continue
            operands = ", ".join(
                f"{r.code} = {format_number(read[(r.form or form.code, r.code)])}"
                for r in ind.formula.refs
                if (r.form or form.code, r.code) in read
            )
            where = f"{form.label or form.code}, chỉ tiêu {ind.stt.rstrip('.') or ind.code}"
            out.append(
                Finding(
                    "rate-blank",
                    Severity.INFO,
                    f"{where} «{ind.name}»: tỷ lệ để trống; tính từ {operands} "
                    f"thì phải là {format_percent(value)}.",
                    form=form.code,
                    codes=(ind.code,),
                    line=lines.get(fold(ind.name)),
                    values={"computed": value},
                )
            )
    return out


def period_key(doc: TextDocument) -> str:
    period = parse_period_label(doc.header.summary) if doc.header.summary else None
    if period is None:
        for table in doc.tables:
            period = parse_period_label(" ".join(table.caption))
            if period:
                break
    return period.key if period else ""


def narrative_parts(doc: TextDocument) -> list[NarrativePart]:
    """The document's narrative by outline section, with the line of each paragraph."""
    return [
        NarrativePart(s.code, s.title, s.text, s.number, s.level, s.line, list(s.lines))
        for s in doc.narrative
    ]


def report_content(result: ImportResult) -> ReportContent:
    """The imported report as the shared `ReportContent` every writer takes."""
    doc, h = result.document, result.document.header
    header = DocumentHeader(
        governing_body=h.governing_body,
        issuing_body=h.issuing_body,
        number=h.number,
        symbol=h.symbol,
        place=h.place,
        date=h.date,
        doc_type=h.doc_type or "BÁO CÁO",
        summary=h.summary,
        recipients=list(h.recipients),
        signing_authority=list(h.signing_authority),
        signer=h.signer,
        distribution=list(h.distribution),
    )
    narrative = narrative_parts(doc)
    return ReportContent(
        template_id=result.template.id,
        values=result.values,
        unit=h.unit,
        period=period_key(doc),
        header=header,
        narrative=narrative,
        read=result.read,
    )

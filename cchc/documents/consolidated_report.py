"""The consolidated report of a round as the Word file the upper unit signs.

The Decree 30 layout comes from the report writer (`render_docx`); this module
writes what the office would otherwise retype: who sent on time, the figures
per level in sentences ("213.936 hồ sơ: cấp tỉnh 35.186, cấp huyện 11.406, cấp
xã 167.344"), the appendices filled as the upper unit's own report would be
(`cchc.core.prefill`), and charts as pictures, with the trends over the earlier
periods when there are any. Each chart stands in the body as
a marker paragraph that is then replaced by the picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from cchc.core.comparison import Trend, unit_series
from cchc.core.consolidation import Consolidation
from cchc.core.numbers import format_number
from cchc.core.prefill import (
    Proposal,
    level_groups,
    level_name,
    propose,
    raw_number,
    row_level,
)
from cchc.core.report_content import DocumentHeader, NarrativePart, ReportContent
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.core.text import fold
from cchc.core.values import Entry, ReportValues
from cchc.documents.charts import build
from cchc.documents.charts.png import png
from cchc.documents.docx_writer import render_docx

__all__ = ["figure_lines", "render_consolidated_report"]

Key = tuple[str, str]
_MARKER = "[[biểu đồ {}]]"
_CHART_WIDTH = Mm(160)
_MAX_RATE_CHARTS = 3


def render_consolidated_report(
    template: ReportTemplate,
    result: Consolidation,
    names: Mapping[str, str],
    *,
    issuer: str,
    title: str,
    period: str,
    header: DocumentHeader | None = None,
    history: Sequence[tuple[str, Mapping[Key, Decimal | None]]] = (),
) -> bytes:
    """The .docx bytes: body with figures and charts, then the filled appendices.

    `history` is (period label, consolidated figure per indicator) from the oldest
    period to this one; with two periods or more the report shows the trends.
    """
    proposals = propose(template, result, names)
    charts: list[bytes] = []

    def chart(picture: bytes, caption: str) -> str:
        charts.append(picture)
        return f"{_MARKER.format(len(charts))}\nBiểu đồ {len(charts)}. {caption}."

    narrative = [
        NarrativePart(
            code="",
            number="I",
            level=1,
            title="TÌNH HÌNH GỬI BÁO CÁO",
            text=_completeness_text(result, names)
            + "\n"
            + chart(
                png(build.submissions_by_branch(result, names)), "Tình hình gửi báo cáo theo đơn vị"
            ),
        ),
        NarrativePart(code="", number="II", level=1, title="SỐ LIỆU TỔNG HỢP"),
    ]
    n = 0
    for form in template.forms:
        lines = figure_lines(template, form, result, proposals)
        if lines:
            n += 1
            heading = form.title.capitalize() if form.title.isupper() else form.title
            label = f"{form.label or form.code}: {heading}"
            narrative.append(
                NarrativePart(code="", number=str(n), level=2, title=label, text="\n".join(lines))
            )
    rate_charts = [chart(pic, caption) for pic, caption in _rate_charts(template, result, names)]
    if rate_charts:
        narrative.append(
            NarrativePart(
                code="",
                number="III",
                level=1,
                title="TỶ LỆ THEO ĐƠN VỊ",
                text="\n".join(rate_charts),
            )
        )
    trends = [
        f"{text}\n{chart(pic, caption)}"
        for text, pic, caption in _trends(template, result, history)
    ]
    if trends:
        narrative.append(
            NarrativePart(
                code="",
                number="IV" if rate_charts else "III",
                level=1,
                title="XU HƯỚNG QUA CÁC KỲ",
                text="\n".join(trends),
            )
        )
    head = header or DocumentHeader()
    if not head.summary:
        head = replace(head, summary=f"Tổng hợp kết quả {title}")
    content = ReportContent(
        template_id=template.id,
        values=_appendix_values(template, result, proposals),
        unit=issuer,
        period=period,
        header=head,
        narrative=narrative,
    )
    # The body is ours: the outline's empty headings would only stand in the way.
    data = render_docx(replace(template, sections=()), content)
    return _embed(data, charts)


def _completeness_text(result: Consolidation, names: Mapping[str, str]) -> str:
    lines = [
        f"Đã gửi {len(result.submitted)}/{len(result.expected)} đơn vị "
        f"({len(result.on_time)} đúng hạn, {len(result.late)} muộn). Số liệu tổng hợp chỉ gồm "
        "các báo cáo đã gửi; mỗi con số ghi rõ trên bao nhiêu đơn vị."
    ]
    for label, units in (("Chưa gửi", result.not_submitted), ("Gửi muộn", result.late)):
        if units:
            lines.append(f"{label}: {', '.join(names.get(u, u) for u in units)}.")
    return "\n".join(lines)


def figure_lines(
    template: ReportTemplate,
    form: Form,
    result: Consolidation,
    proposals: Mapping[Key, Proposal],
) -> list[str]:
    """One sentence per figure; rows that split one figure by level (same name and
    unit, one row per level) become one sentence with the total and each level."""
    firsts: dict[str, list[Indicator]] = {}
    for group in level_groups(template, form):
        present = [
            i
            for i in group
            if (form.code, i.code) in proposals and i.kind in (Kind.COUNT, Kind.AMOUNT)
        ]
        if len({row_level(template, i) for i in present}) > 1:
            firsts[present[0].code] = present
    done = {i.code for group in firsts.values() for i in group}
    lines = []
    for ind in form.indicators:
        key = (form.code, ind.code)
        if ind.code in firsts:
            lines.append(_level_sentence(template, form, firsts[ind.code], proposals))
        elif ind.code in done:
            continue
        elif key in proposals:
            lines += _sentence(ind, proposals[key])
        elif ind.formula is not None and ind.kind is Kind.RATE and key in result.totals:
            total = result.totals[key]
            if total.value is not None:
                over = _over(total.units_reporting, total.units_expected)
                lines.append(f"- {ind.name}: {format_number(total.value, 2)}%{over}.")
    return lines


def _over(reporting: int, expected: int) -> str:
    return f" (trên {reporting}/{expected} đơn vị)" if reporting < expected else ""


def _sentence(ind: Indicator, p: Proposal) -> list[str]:
    if ind.kind is Kind.CHOICE:
        options = "; ".join(f"{label} {n}" for label, n in p.counts)
        return [f"- {ind.name}: {options} ({p.coverage})."]
    if p.value is None:
        return []  # a rate without operands: its appendix note says why
    levels = ""
    if len(p.by_level) > 1:
        levels = ": " + ", ".join(f"{level_name(lv)} {format_number(v)}" for lv, v in p.by_level)
    unit = f" {ind.measure.lower()}" if ind.measure else ""
    return [
        f"- {ind.name}: {format_number(p.value)}{unit}{levels}{_over(p.reporting, p.expected)}."
    ]


def _level_sentence(
    template: ReportTemplate, form: Form, group: list[Indicator], proposals: Mapping[Key, Proposal]
) -> str:
    parts = [(row_level(template, i), proposals[(form.code, i.code)]) for i in group]
    total = sum((p.value or Decimal(0) for _, p in parts), Decimal(0))
    unit = f" {group[0].measure.lower()}" if group[0].measure else ""
    levels = ", ".join(f"{level_name(lv)} {format_number(p.value or 0)}" for lv, p in parts)
    short = [f"{level_name(lv)} trên {p.coverage}" for lv, p in parts if not p.complete]
    tail = f" (số liệu {'; '.join(short)})" if short else ""
    return f"- {group[0].name}: {format_number(total)}{unit}: {levels}{tail}."


def _appendix_values(
    template: ReportTemplate, result: Consolidation, proposals: Mapping[Key, Proposal]
) -> ReportValues:
    """The forms as the upper unit's report would hold them, plus the recomputed rates."""
    values: ReportValues = {}
    for (form, code), p in proposals.items():
        values.setdefault(form, {})[code] = Entry(raw=p.raw or "", note=p.note)
    for f in template.forms:
        for ind in f.indicators:
            total = result.totals.get((f.code, ind.code))
            if ind.formula is not None and total is not None and total.value is not None:
                rate = total.value.quantize(Decimal("0.01"))
                note = f"{total.coverage}" if total.units_reporting < total.units_expected else ""
                values.setdefault(f.code, {})[ind.code] = Entry(raw=raw_number(rate), note=note)
    return values


def _charted_rates(template: ReportTemplate, result: Consolidation) -> list[tuple[Indicator, Key]]:
    """The rates worth a picture: those named «đúng hạn», else the first rate with figures."""
    rates = []
    for f in template.forms:
        for ind in f.indicators:
            total = result.totals.get((f.code, ind.code))
            if ind.kind is Kind.RATE and ind.formula is not None and total and total.by_unit:
                rates.append((ind, (f.code, ind.code)))
    on_time = [(i, k) for i, k in rates if "dung han" in fold(i.name)]
    return (on_time or rates[:1])[:_MAX_RATE_CHARTS]


def _rate_charts(
    template: ReportTemplate, result: Consolidation, names: Mapping[str, str]
) -> list[tuple[bytes, str]]:
    """Each unit's on-time rate (rates named «đúng hạn»; else the first rate with figures)."""
    out = []
    for ind, key in _charted_rates(template, result):
        total = result.totals[key]
        units = [
            u
            for u in result.expected
            if not ind.levels
            or result.levels.get(u) in ind.levels
            or result.levels.get(u) not in template.levels
        ]
        values = [(names.get(u, u), total.by_unit.get(u)) for u in units]
        out.append((png(build.bars(ind.name, values, kind=Kind.RATE)), f"{ind.name}, theo đơn vị"))
    return out


def _trends(
    template: ReportTemplate,
    result: Consolidation,
    history: Sequence[tuple[str, Mapping[Key, Decimal | None]]],
) -> list[tuple[str, bytes, str]]:
    """The charted rates over the periods: a sentence, a picture, a caption each."""
    if len(history) < 2:
        return []
    out = []
    for ind, key in _charted_rates(template, result):
        points = [(label, figures.get(key)) for label, figures in history]
        if sum(v is not None for _, v in points) < 2:
            continue
        series = unit_series(points, kind=ind.kind)
        told = "; ".join(
            f"{p.period}: {format_number(p.value, 2)}%"
            if p.value is not None
            else f"{p.period}: chưa có số liệu"
            for p in series.points
        )
        trend = "" if series.trend is Trend.UNKNOWN else f" (xu hướng {series.trend})"
        sentence = f"- {ind.name}: {told}{trend}."
        picture = png(build.trend(ind.name, points, kind=Kind.RATE))
        out.append((sentence, picture, f"{ind.name} qua các kỳ"))
    return out


def _embed(data: bytes, charts: list[bytes]) -> bytes:
    """Replace each marker paragraph with its chart, centred, full text width."""
    doc = Document(BytesIO(data))
    markers = {_MARKER.format(n): picture for n, picture in enumerate(charts, 1)}
    for paragraph in doc.paragraphs:
        picture = markers.get(paragraph.text.strip())
        if picture is None:
            continue
        paragraph.clear()
        paragraph.paragraph_format.first_line_indent = 0
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run().add_picture(BytesIO(picture), width=_CHART_WIDTH)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()

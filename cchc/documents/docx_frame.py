"""The frame Decree 30 puts around a report's body: page 1's two-column header (issuing
body with its rule, number; national name, motto, place and date), the title and
summary, `Kính gửi:`, and at the end `Nơi nhận:` beside the signer block.
"""

from __future__ import annotations

from docx.shared import Mm

from cchc.core.document_details import agency_name, is_list_label, issuing_body_of
from cchc.core.periods import document_date
from cchc.core.report_content import DocumentHeader, ReportContent
from cchc.core.text import fold
from cchc.documents import docx_markup as ml
from cchc.documents.docx_markup import BODY_PT, CELL_MARGIN, TEXT_WIDTH, text_width

HEADER_COLUMNS = (Mm(62), Mm(103))  # issuing body | national name
CLOSING_COLUMNS = (Mm(72), Mm(93))  # Nơi nhận | signer
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_BODY_PREFIXES = ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN")


def issuing_body(content: ReportContent) -> str:
    """The issuing body in capitals; when the document did not say, the reporting
    unit spelled out (`UBND xã Hương Sơn` → `ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN`)."""
    h = content.header
    if h.issuing_body.strip():
        return h.issuing_body.strip().upper()
    return issuing_body_of(content.unit)


def agency_name_of(content: ReportContent) -> str:
    """The issuing body in running text (`Ủy ban nhân dân xã Hương Sơn`)."""
    return agency_name(content.unit) or content.header.issuing_body.strip()


def body_lines(name: str) -> list[str]:
    """Break an agency name after `ỦY BAN NHÂN DÂN`, as offices print it."""
    for prefix in _BODY_PREFIXES:
        if name.startswith(prefix + " "):
            return [prefix, name[len(prefix) :].strip()]
    return [name]


def number_line(h: DocumentHeader) -> str:
    """`Số: 05/BC-UBND`: a leading 0 under 10; room for the clerk when not numbered yet."""
    number = h.number.strip()
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    return f"Số: {number or '      '}/{h.symbol.strip() or 'BC'}"


def date_line(h: DocumentHeader) -> str:
    place = h.place.strip() or "……"
    if h.date is None:
        return f"{place}, ngày      tháng      năm"
    return f"{place}, {document_date(h.date)}"


def header_block(content: ReportContent) -> str:
    h = content.header
    left_w = HEADER_COLUMNS[0] - 2 * CELL_MARGIN
    right_w = HEADER_COLUMNS[1] - 2 * CELL_MARGIN
    left: list[str] = []
    if h.governing_body.strip():
        left.append(ml.text_par("\n".join(body_lines(h.governing_body.strip().upper())), 13))
    issuing = issuing_body(content)
    if issuing:
        lines = body_lines(issuing)
        left.append(ml.text_par("\n".join(lines), 13, bold=True))
        widest = max(text_width(line, 13, bold=True) for line in lines)
        left.append(ml.rule(int(min(widest, left_w) * 0.4), left_w))
    right = [
        ml.text_par(NATIONAL_NAME, 12, bold=True),
        ml.text_par(MOTTO, 13, bold=True),
        ml.rule(int(text_width(MOTTO, 13, bold=True)), right_w),
    ]
    rows = [
        ml.row([ml.cell(HEADER_COLUMNS[0], "".join(left), valign="top"),
              ml.cell(HEADER_COLUMNS[1], "".join(right), valign="top")]),
        ml.row([ml.cell(HEADER_COLUMNS[0], ml.text_par(number_line(h), 13, before=6), valign="top"),
              ml.cell(HEADER_COLUMNS[1], ml.text_par(date_line(h), 14, italic=True, before=6),
                    valign="top")]),
    ]  # fmt: skip
    return ml.table(HEADER_COLUMNS, rows, grid=False)


def title_block(h: DocumentHeader) -> list[str]:
    out = [ml.text_par((h.doc_type or "BÁO CÁO").upper(), bold=True, before=18)]
    summary = h.summary.strip()
    if summary:
        out.append(ml.text_par(summary, bold=True))
        line = min(text_width(summary, BODY_PT, bold=True), TEXT_WIDTH)
        out.append(ml.rule(int(line * 0.35), TEXT_WIDTH))
    return out


def recipients_block(recipients: list[str]) -> list[str]:
    """`Kính gửi: …` on one line, or the label then one recipient a line, each
    with `-`, `;` at the end and `.` after the last, aligned after the colon."""
    names = [r.strip().rstrip(";.") for r in recipients if r.strip()]
    if not names:
        return []
    if len(names) == 1:
        return [ml.text_par(f"Kính gửi: {names[0]}", before=12, after=6)]
    label_w = int(text_width("Kính gửi: ", BODY_PT))
    start = Mm(25) + label_w
    out = []
    for n, name in enumerate(names):
        last = n == len(names) - 1
        text = f"{'Kính gửi:' + chr(9) if n == 0 else ''}- {name}{'.' if last else ';'}"
        out.append(
            ml.text_par(
                text,
                align="left",
                before=12 if n == 0 else 0,
                after=6 if last else 0,
                left=start,
                hanging=label_w if n == 0 else 0,
            )
        )
    return out


def distribution_lines(h: DocumentHeader) -> list[str]:
    """`- Như trên;` first when the report has a `Kính gửi`, `- Lưu: VT…` last;
    `Gửi bản giấy:` / `Gửi bản điện tử:` lists keep their labels, each list
    ending with a full stop."""
    items = [d.strip().rstrip(";.") for d in h.distribution if d.strip().rstrip(";.")]
    items = ["Như trên" if fold(x) == "nhu tren" else x for x in items]
    labelled = any(is_list_label(x) for x in items)
    if h.recipients and "Như trên" not in items and not labelled:
        items.insert(0, "Như trên")
    if not any(fold(x).startswith("luu") for x in items):
        items.append("Lưu: VT")
    out = []
    for n, x in enumerate(items):
        if is_list_label(x):
            out.append(x)
            continue
        last = n == len(items) - 1 or is_list_label(items[n + 1])
        out.append(f"- {x}{'.' if last else ';'}")
    return out


def closing_block(h: DocumentHeader) -> str:
    """`Nơi nhận:` (12 pt bold italic, list at 11 pt) level with the signer's
    authority (bold capitals), room for signature and seal, the name in bold."""
    left = [ml.par(ml.run("Nơi nhận:", 12, bold=True, italic=True), 12, align="left", before=12)]
    left += [ml.text_par(line, 11, align="left") for line in distribution_lines(h)]
    authority = [a.strip().upper() for a in h.signing_authority if a.strip()]
    right = [
        ml.text_par(line, bold=True, before=12 if n == 0 else 0) for n, line in enumerate(authority)
    ] or [ml.text_par("", before=12)]
    right.append(ml.text_par(h.signer.strip(), bold=True, before=84))
    row = ml.row(
        [
            ml.cell(CLOSING_COLUMNS[0], "".join(left), valign="top"),
            ml.cell(CLOSING_COLUMNS[1], "".join(right), valign="top"),
        ]
    )
    return ml.table(CLOSING_COLUMNS, [row], grid=False)

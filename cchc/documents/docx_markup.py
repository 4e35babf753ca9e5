"""WordprocessingML as text: runs, paragraphs, rules, cells, rows and tables in the
Decree 30 fonts and sizes, parsed once per part (python-docx builds elements one
call at a time, ten times slower for a report with 150 form rows), and the printed
width of a line of Times New Roman.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

from docx.document import Document as DocumentObject
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12

# The page of Decree 30: A4, margins 20/20/30/15 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 165 mm
CELL_MARGIN = Pt(5.4)  # Word's default left/right cell margin (0,19 cm)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'

# Advance widths (1/1000 em) of Times New Roman for the characters 32–126; a
# Vietnamese letter has the width of its base letter. Used to size the rules
# under the issuing body, the motto and the summary.
_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667,
    722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
    722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
    500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
    444, 480, 200, 480, 541,
)  # fmt: skip
_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722,
    722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
    722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
    556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
    444, 394, 220, 394, 520,
)  # fmt: skip


def text_width(text: str, size: float, *, bold: bool = False) -> Length:
    """The printed width of one line of Times New Roman text."""
    widths = _BOLD if bold else _REGULAR
    total = 0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0].replace("Đ", "D").replace("đ", "d")
        code = ord(base)
        total += widths[code - 32] if 32 <= code <= 126 else 500
    return Pt(total * size / 1000)


def tw(length: int) -> int:
    """EMU → twentieths of a point (twips), the unit of most Word measures."""
    return round(length / 635)


def run(text: str, size: float, *, bold: bool = False, italic: bool = False) -> str:
    """One run; `\\n` is a line break, `\\t` a tab."""
    half = round(size * 2)
    rpr = (
        f"<w:rPr>{_FONTS}{'<w:b/><w:bCs/>' if bold else ''}{'<w:i/><w:iCs/>' if italic else ''}"
        f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    )
    parts: list[str] = []
    for n, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def par(
    runs: str | list[str],
    size: float = BODY_PT,
    *,
    align: str = "center",
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    exact: float | None = None,
    first_line: int = 0,
    hanging: int = 0,
    left: int = 0,
    right: int = 0,
    keep_next: bool = False,
    rule: bool = False,
    outline: int | None = None,
) -> str:
    """One paragraph. Sizes in points, indents in EMU; `rule` draws its bottom border."""
    half = round(size * 2)
    spacing = f'w:before="{round(before * 20)}" w:after="{round(after * 20)}"'
    if exact is not None:
        spacing += f' w:line="{round(exact * 20)}" w:lineRule="exact"'
    elif line is not None:
        spacing += f' w:line="{round(line * 240)}" w:lineRule="auto"'
    ind = ""
    if first_line or hanging or left or right:
        ind = f'<w:ind w:left="{tw(left)}" w:right="{tw(right)}"'
        ind += f' w:hanging="{tw(hanging)}"/>' if hanging else f' w:firstLine="{tw(first_line)}"/>'
    ppr = (
        ("<w:keepNext/>" if keep_next else "")
        + (
            '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
            if rule
            else ""
        )
        + f'<w:spacing {spacing}/>{ind}<w:jc w:val="{align}"/>'
        + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "")
        + f'<w:rPr>{_FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    )
    body = runs if isinstance(runs, str) else "".join(runs)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def text_par(
    text: str, size: float = BODY_PT, *, bold: bool = False, italic: bool = False, **kw
) -> str:  # type: ignore[no-untyped-def]
    return par(run(text, size, bold=bold, italic=italic) if text else "", size, **kw)


def rule(width: int, available: int, *, before: float = 1) -> str:
    """A centred solid rule `width` long: the bottom border of a 2-pt empty
    paragraph whose indents leave exactly that width."""
    side = max(0, (available - width) // 2)
    return par("", 2, before=before, exact=2, left=side, right=side, rule=True)


def cell(width: int, content: str, *, valign: str = "center") -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{tw(width)}" w:type="dxa"/><w:vAlign w:val="{valign}"/>'
        f"</w:tcPr>{content or par('', TABLE_PT)}</w:tc>"
    )


def row(cells: list[str], *, header: bool = False) -> str:
    """A table row that never splits across pages; a header row repeats on each page."""
    flags = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(cells)}</w:tr>"


def table(
    widths: tuple[int, ...], rows: list[str], *, grid: bool, margin: int | None = None
) -> str:
    edge = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if grid else 'w:val="nil"'
    borders = "".join(
        f"<w:{side} {edge}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    margins = (
        f'<w:tblCellMar><w:left w:w="{tw(margin)}" w:type="dxa"/>'
        f'<w:right w:w="{tw(margin)}" w:type="dxa"/></w:tblCellMar>'
        if margin is not None
        else ""
    )
    total = sum(tw(w) for w in widths)
    grid_cols = "".join(f'<w:gridCol w:w="{tw(w)}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{margins}'
        f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>'
        f"{''.join(rows)}</w:tbl>"
    )


def parse_blocks(blocks: list[str]):  # type: ignore[no-untyped-def]
    return parse_xml(f'<w:body xmlns:w="{_W}">{"".join(blocks)}</w:body>')


def element(block: str):  # type: ignore[no-untyped-def]
    return parse_blocks([block])[0]


def append_blocks(doc: DocumentObject, blocks: list[str]) -> None:
    """Parse the blocks once and put them at the end of the body."""
    body = doc.element.body
    parsed = parse_blocks(blocks)
    sentinel = body.find(qn("w:sectPr"))
    for child in list(parsed):
        if sentinel is not None:
            sentinel.addprevious(child)
        else:
            body.append(child)


def run_props(size: float) -> str:
    half = round(size * 2)
    return f'<w:rPr>{_FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'


def field_char(kind: str) -> str:
    return f'<w:r>{run_props(BODY_PT)}<w:fldChar w:fldCharType="{kind}"/></w:r>'

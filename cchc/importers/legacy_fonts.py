"""Word and Excel files typed in the old Vietnamese encodings, converted to Unicode.

Offices still open reports typed years ago with TCVN3 (`.VnTime`, `.VnTimeH`,
`.VnArial`…), VNI (`VNI-Times`…) or VISCII: the bytes of `Hương Sơn` are stored
as `H­¬ng S¬n` and only the font makes them readable. Each run of a Word file
and each cell of a workbook is converted by its own font, so a document that
mixes an old font with Unicode text converts only the old parts; a file with
no font signal and no Unicode Vietnamese letter at all is tried by content.

The tables and the detection are `viparse`'s (`viparse.normalize`, MIT, no
required dependencies): its tables were checked against real government
documents, and its content detection declines rather than corrupt good text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn
from viparse.normalize.detector import detect_encoding, detect_encoding_by_content
from viparse.normalize.encodings import AUTO_DETECT_CHARMAPS, get_charmap
from viparse.normalize.tables import convert

__all__ = ["Conversion", "convert_docx", "convert_workbook", "describe"]

LABELS = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "viscii": "VISCII", "vps": "VPS"}
# Letters only Unicode Vietnamese has (â, ê, ô are Latin-1 too, and VISCII keeps them):
# a text with one of them is not in an old encoding.
_UNICODE_VIETNAMESE = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_R, _T, _RPR, _RFONTS = qn("w:r"), qn("w:t"), qn("w:rPr"), qn("w:rFonts")
_FONT_ATTRS = tuple(qn(f"w:{a}") for a in ("ascii", "hAnsi", "cs"))


@dataclass(frozen=True)
class Conversion:
    """One old encoding found in a file: how it was recognised and how much was converted."""

    encoding: str
    how: str  # "font" or "content"
    font: str
    pieces: int


def describe(conversions: list[Conversion]) -> str:
    """A Vietnamese sentence saying what was converted, for an info finding."""
    parts = []
    for c in conversions:
        label = LABELS.get(c.encoding, c.encoding)
        why = f"phông «{c.font}»" if c.how == "font" else "nhận ra từ nội dung"
        parts.append(f"{c.pieces} đoạn chữ mã {label} ({why})")
    return "đã chuyển sang Unicode: " + "; ".join(parts)


def _font_encoding(font: str | None) -> str | None:
    if not font:
        return None
    found = detect_encoding([font])
    return found.encoding if found.method == "font-signal" else None


def _converted(text: str, encoding: str, font: str | None) -> str:
    """The Unicode text; TCVN3 has no capital accented letters, so a `…H` font
    (`.VnTimeH`) draws lower-case bytes as capitals, and they are capitals here."""
    out = convert(text, get_charmap(encoding))
    if encoding == "tcvn3" and (font or "").strip().upper().endswith("H"):
        return out.upper()
    return out


def _rfonts_name(rpr: Any) -> str | None:
    rfonts = rpr.find(_RFONTS) if rpr is not None else None
    if rfonts is None:
        return None
    return next((v for a in _FONT_ATTRS if (v := rfonts.get(a))), None)


class _StyleFonts:
    """The font each Word style gives its text, following `basedOn`, then the defaults."""

    def __init__(self, styles_element: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default: str | None = None
        if styles_element is None:
            return
        for style in styles_element.iter(qn("w:style")):
            self.by_id[style.get(qn("w:styleId"), "")] = style
        defaults = styles_element.find(qn("w:docDefaults"))
        if defaults is not None:
            self.default = _rfonts_name(defaults.find(f"{qn('w:rPrDefault')}/{_RPR}"))

    def font(self, style_id: str | None) -> str | None:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            if name := _rfonts_name(style.find(_RPR)):
                return name
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return None


def _run_font(run: Any, paragraph_style: str | None, styles: _StyleFonts) -> str | None:
    rpr = run.find(_RPR)
    if name := _rfonts_name(rpr):
        return name
    rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
    if rstyle is not None and (name := styles.font(rstyle.get(qn("w:val")))):
        return name
    return styles.font(paragraph_style) or styles.font("Normal") or styles.default


@dataclass
class _Piece:
    """A piece of text with its font: the `w:t` elements of one run, or one cell."""

    font: str | None
    get: Any
    put: Any


def _convert_pieces(pieces: list[_Piece]) -> list[Conversion]:
    """Each piece converted by its font; with no old font anywhere, all by content."""
    counts: Counter[tuple[str, str]] = Counter()
    plain: list[_Piece] = []
    for piece in pieces:
        encoding = _font_encoding(piece.font)
        if encoding is None:
            plain.append(piece)
            continue
        piece.put(_converted(piece.get(), encoding, piece.font))
        counts[(encoding, piece.font or "")] += 1
    out = [Conversion(enc, "font", font, n) for (enc, font), n in counts.items()]
    return out or _by_content(plain)


def _texts_piece(texts: list[Any], font: str | None) -> _Piece:
    def put(value: str) -> None:  # a run's text lives in several `w:t`: keep each one's share
        for t in texts:
            t.text, value = value[: len(t.text)], value[len(t.text) :]
        texts[-1].text += value

    return _Piece(font, lambda: "".join(t.text for t in texts), put)


def convert_docx(document: Any) -> list[Conversion]:
    """Convert, in place, every run of a python-docx `Document` typed in an old font."""
    try:
        styles = _StyleFonts(document.styles.element)
    except (KeyError, AttributeError):  # a package without a styles part
        styles = _StyleFonts(None)
    pieces = []
    for p in document.element.body.iter(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = pstyle.get(qn("w:val")) if pstyle is not None else None
        for run in p.iter(_R):
            texts = [t for t in run.iter(_T) if t.text]
            if texts:
                pieces.append(_texts_piece(texts, _run_font(run, style_id, styles)))
    return _convert_pieces(pieces)


def convert_workbook(workbook: Any) -> list[Conversion]:
    """Convert, in place, every text cell of an openpyxl workbook typed in an old font."""
    pieces = [
        _Piece(
            cell.font.name if cell.font is not None else None,
            lambda c=cell: c.value,
            lambda v, c=cell: setattr(c, "value", v),
        )
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.strip()
    ]
    return _convert_pieces(pieces)


def _by_content(items: list[_Piece]) -> list[Conversion]:
    """With no font signal: convert everything only when the text has no Unicode
    Vietnamese letter and reads clearly as one old encoding."""
    text = "\n".join(i.get() for i in items)
    if not text.strip() or _UNICODE_VIETNAMESE.search(text):
        return []
    found = detect_encoding_by_content(text, AUTO_DETECT_CHARMAPS)
    if found.encoding is None:
        return []
    charmap = get_charmap(found.encoding)
    for item in items:
        item.put(convert(item.get(), charmap))
    return [Conversion(found.encoding, "content", "", len(items))]

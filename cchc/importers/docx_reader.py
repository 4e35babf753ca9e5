"""Reader for reports saved as Word files (.docx): ours and offices' own.

The document is read in order into the same `TextDocument` the text reader
produces. Paragraphs, and the paragraphs of layout tables (the two-column
header, the `Nơi nhận` / signer block), become lines that the text reader's
header and narrative logic reads; a bold paragraph counts as a marked heading.
Every statistics table anywhere in the document becomes rows through the text
reader's own row logic (header rows, wrapped names, option lines), with:

- merged cells read once (a horizontally merged cell is one `w:tc`; a vertical
  merge continues with empty `w:tc` elements), cells with line breaks joined;
- header rows recognised wherever they repeat, and the columns found by their
  header words (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú) when they are
  not in the usual order;
- a table without a caption of its own whose codes continue the previous
  table's (a form split by a page or section break) read as its continuation.

`Row.line` is a running row number over all the document's statistics tables,
in document order (header rows counted), so a finding can point at a row.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.oxml.ns import qn

from cchc.core.text import clean, fold
from cchc.importers.header_facts import read_header
from cchc.importers.legacy_fonts import convert_docx
from cchc.importers.safety import check_office_file
from cchc.importers.seed_text import (
    _CAPTION,
    Row,
    Table,
    TextDocument,
    _add_row,
    _caption,
    _is_header_row,
    _read_narrative,
    _split_caption,
    row_from_cells,
)

__all__ = ["DocxReadError", "read_docx_report"]

_P, _R, _T, _TBL, _TR, _TC = (qn(f"w:{t}") for t in ("p", "r", "t", "tbl", "tr", "tc"))
_TAB, _BR, _CR, _SDT = qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:sdt")
_OFF = {"0", "false", "off"}
_ROLE_WORDS = (
    ("unit", ("don vi tinh", "dvt")),
    ("note", ("ghi chu",)),
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("value", ("so lieu", "so luong", "gia tri")),
    ("name", ("chi tieu", "noi dung", "ten chi tieu")),
    ("value", ("ket qua",)),
)


class DocxReadError(ValueError):
    """A .docx that cannot be read; the message names the file, in Vietnamese."""


def read_docx_report(data: bytes, file: str) -> TextDocument:
    """Read a report from the bytes of a .docx (checked by `check_office_file` first)."""
    check_office_file(data, file, "docx")
    try:
        document = Document(BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise DocxReadError(f"{file}: không đọc được tệp Word ({exc}).") from exc
    conversions = convert_docx(document)
    reader = _Reader()
    reader.read_blocks(document.element.body)
    header = read_header(reader.lines)
    narrative = _read_narrative(reader.lines, header, reader.table_lines, reader.tables)
    return TextDocument(file, header, narrative, reader.tables, conversions)


# ---------------------------------------------------------------- text of elements


def _plain(el) -> str:  # type: ignore[no-untyped-def]
    """Visible text: runs' text, tabs as `\\t`, breaks and paragraph ends as `\\n`.
    Deleted text (`w:delText`) and field codes (`w:instrText`) are not text."""
    parts: list[str] = []
    for node in el.iter(_T, _TAB, _BR, _CR, _P):
        if node.tag == _T:
            parts.append(node.text or "")
        elif node.tag == _TAB:
            parts.append("\t")
        elif node.tag == _P:
            if parts:
                parts.append("\n")
        else:
            parts.append("\n")
    return "".join(parts)


def _is_bold(el) -> bool:  # type: ignore[no-untyped-def]
    """Whether every run with text is bold (explicitly), or the paragraph is a heading."""
    ppr = el.find(qn("w:pPr")) if el.tag == _P else None
    if ppr is not None:
        style = ppr.find(qn("w:pStyle"))
        if ppr.find(qn("w:outlineLvl")) is not None or (
            style is not None
            and style.get(qn("w:val"), "").lower().startswith(("heading", "title"))
        ):
            return True
    runs = [r for r in el.iter(_R) if any((t.text or "").strip() for t in r.iter(_T))]
    return bool(runs) and all(_run_bold(r) for r in runs)


def _run_bold(run) -> bool:  # type: ignore[no-untyped-def]
    rpr = run.find(qn("w:rPr"))
    b = rpr.find(qn("w:b")) if rpr is not None else None
    return b is not None and b.get(qn("w:val"), "true").lower() not in _OFF


def _cells(tr) -> tuple[list[str], bool]:  # type: ignore[no-untyped-def]
    """One text per grid column: a merged cell's text once, in its first column;
    the continuation of a vertical merge empty. And whether any run is bold."""
    out: list[str] = []
    bold = False
    trpr = tr.find(qn("w:trPr"))
    before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
    if before is not None:
        out += [""] * int(before.get(qn("w:val"), "0"))
    for tc in tr.iter(_TC):
        if tc.getparent() is not tr:
            continue  # a cell of a table nested in this row's cells
        tcpr = tc.find(qn("w:tcPr"))
        span = vmerge = None
        if tcpr is not None:
            span = tcpr.find(qn("w:gridSpan"))
            vmerge = tcpr.find(qn("w:vMerge"))
        continued = vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue"
        text = "" if continued else " ".join(_plain(tc).split())
        if text and any(_run_bold(r) for r in tc.iter(_R)):
            bold = True
        width = int(span.get(qn("w:val"), "1")) if span is not None else 1
        out += [text] + [""] * (width - 1)
    return out, bold


# ---------------------------------------------------------------- reading in order


class _Reader:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.table_lines: set[int] = set()
        self.tables: list[Table] = []
        self.row_number = 0  # running row number over the statistics tables
        self._last: Table | None = None  # the statistics table read last
        self._last_end = -1  # index in `lines` after it
        self._last_roles: list[int] = []  # its columns (see `_roles`)
        self._last_width = 0

    def read_blocks(self, parent) -> None:  # type: ignore[no-untyped-def]
        for child in parent:
            if child.tag == _P:
                self._paragraph(child)
            elif child.tag == _TBL:
                self._table(child)
            elif child.tag == _SDT:  # content control: read what it holds
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.read_blocks(content)

    def _paragraph(self, p) -> None:  # type: ignore[no-untyped-def]
        text = _plain(p)
        marker = "# " if _is_bold(p) else ""
        for line in text.split("\n"):
            label, tab, rest = line.partition("\t")
            if tab and fold(label).startswith("kinh gui") and rest.strip().startswith("-"):
                self.lines += [label.strip(), rest.strip()]  # "Kính gửi:<tab>- A;"
                continue
            line = " ".join(line.split())
            self.lines.append(f"{marker}{line}" if line else "")

    def _table(self, tbl) -> None:  # type: ignore[no-untyped-def]
        trs = [tr for tr in tbl.iter(_TR) if tr.getparent() is tbl]
        rows = [_cells(tr) for tr in trs]
        width = max((len(cells) for cells, _ in rows), default=0)
        has_header = any(_is_header_row(cells) for cells, _ in rows[:4] if cells)
        continues = self._continues(rows, width)
        if has_header or continues:
            self._statistics(rows, width, continues)
            return
        for tr in trs:  # a layout table: its paragraphs are lines of the document
            for tc in (tc for tc in tr.iter(_TC) if tc.getparent() is tr):
                self.read_blocks(tc)

    def _continues(self, rows: list[tuple[list[str], bool]], width: int) -> bool:
        """Whether a table continues the previous one: no caption of its own since
        it, the same columns, and its first code following the last one."""
        if self._last is None or width != self._last_width:
            return False
        between = (clean(x) for x in self.lines[self._last_end :])
        if any(_CAPTION.match(x) for x in between if x):
            return False
        codes = (self._row(cells, False, self._last_roles).code for cells, _ in rows if cells)
        first = next((c for c in codes if c), "")
        last = next((r.code for r in reversed(self._last.rows) if r.code), "")
        return bool(first and last) and _key(first) > _key(last)

    def _row(self, cells: list[str], bold: bool, roles: list[int]) -> Row:
        """A row with its cells put in the order STT, name, unit, value, note;
        columns the header did not name go with the notes."""
        ordered = [cells[i] if 0 <= i < len(cells) else "" for i in roles]
        ordered += [c for i, c in enumerate(cells) if i not in roles]
        return row_from_cells(ordered, self.row_number, bold)

    def _statistics(self, rows: list[tuple[list[str], bool]], width: int, continues: bool) -> None:
        headers = [cells for cells, _ in rows if cells and _is_header_row(cells)]
        roles = _roles(headers, width) if headers else self._last_roles or list(range(width))
        table = self._last if continues and self._last is not None else Table(self.row_number + 1)
        first_line = len(self.lines)
        for cells, bold in rows:
            self.row_number += 1
            self.lines.append("\t".join(cells) or "\t")
            self.table_lines.add(len(self.lines) - 1)
            if not any(c.strip() for c in cells):
                continue
            if _is_header_row(cells):
                ordered = self._row(cells, False, roles)
                for text in (ordered.unit, ordered.value):
                    if fold(text).startswith(("so lieu", "so luong")):
                        table.value_header = text
                continue
            _add_row(table, self._row(cells, bold, roles))
        if not continues:
            table.caption = _caption(self.lines, first_line)
            _split_caption(table)
            if table.rows:
                self.tables.append(table)
        self._last, self._last_end = table, len(self.lines)
        self._last_roles, self._last_width = roles, width


def _key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


def _roles(headers: list[list[str]], width: int) -> list[int]:
    """Column indices in the order STT, name, unit, value, note, found by the
    header words; the usual positions when the header does not name them."""
    found: dict[str, int] = {}
    for col in range(width):
        words = f" {' '.join(fold(h[col]) for h in headers if col < len(h) and h[col].strip())} "
        for role, keys in _ROLE_WORDS:
            if role not in found and any(f" {key} " in words for key in keys):
                found[role] = col
                break
    if not {"stt", "name", "value"} <= found.keys():
        return list(range(width))
    return [found.get(role, -1) for role in ("stt", "name", "unit", "value", "note")]

"""Reader for reports saved as plain text (the seed format).

Word reports converted to text keep table rows as tab-separated lines, with
markdown and `<b>/<i>/<sup>` remnants, header rows repeated after page breaks,
names wrapped onto a second line and coded options spread over several lines.
This module turns such a text into a `TextDocument`: its header facts, its
narrative by outline heading, and every table row with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc.core.text import clean, fold, has_markup_bold, nfc
from cchc.importers.header_facts import HeaderFacts, read_header

__all__ = ["HeaderFacts", "NarrativeSection", "Row", "Table", "TextDocument", "read_text_report"]

_CODE = re.compile(r"^\d+(?:\.\d+)*\.?$")
_ROMAN = re.compile(r"^(X{0,3}(?:IX|IV|V?I{0,3}))\.\s*(.+)$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$")
_CAPTION = re.compile(r"^(phụ lục|biểu mẫu|biểu|bảng)\s*(số\s*)?[\dIVXLC]+\b", re.IGNORECASE)
_HEADER_WORDS = {
    "stt",
    "chi tieu thong ke",
    "ket qua thong ke",
    "don vi tinh",
    "ghi chu",
    "so lieu",
}


@dataclass
class Row:
    """One data row of a table, as printed."""

    line: int
    stt: str
    name: str
    unit: str = ""
    value: str = ""
    note: str = ""
    bold: bool = False
    breakdown: bool = False  # a "Trong đó" row or a row continuing one

    @property
    def code(self) -> str:
        """The printed STT as a code (`2.1.` → `2.1`), or "" when it is not one."""
        return self.stt.rstrip(".") if _CODE.match(self.stt) else ""


@dataclass
class Table:
    line: int
    label: str = ""
    title: str = ""
    caption: list[str] = field(default_factory=list)
    value_header: str = ""
    rows: list[Row] = field(default_factory=list)


@dataclass
class NarrativeSection:
    code: str
    number: str
    title: str
    level: int
    line: int
    text: str = ""
    lines: list[int] = field(default_factory=list)  # source line of each paragraph of `text`


@dataclass
class TextDocument:
    file: str
    header: HeaderFacts
    narrative: list[NarrativeSection]
    tables: list[Table]
    conversions: list = field(default_factory=list)  # old encodings converted (legacy_fonts)


def _cells(line: str) -> list[str]:
    return line.split("\t")


def _is_header_row(cells: list[str]) -> bool:
    if fold(cells[0]) not in ("", "stt"):
        return False  # a numbered row is data, whatever its name says
    texts = [fold(c) for c in cells if c.strip()]
    if not texts:
        return False
    if any(t in _HEADER_WORDS or t.startswith("so lieu") for t in texts):
        return True
    return any(t.startswith("su dung trong ky") or t.startswith("su dung cho ky") for t in texts)


def _read_table(lines: list[str], start: int) -> tuple[Table, int]:
    """Read a table whose first header row is at `start`; return it and the next line index."""
    table = Table(line=start + 1)
    i = start
    last_blank_run = 0
    while i < len(lines):
        raw = lines[i]
        if "\t" not in raw:
            if raw.strip():
                break
            last_blank_run += 1
            i += 1
            continue
        last_blank_run = 0
        cells = _cells(raw)
        if _is_header_row(cells):
            for c in cells[2:4]:
                if fold(c).startswith("so lieu") or fold(c).startswith("so luong"):
                    table.value_header = clean(c)
            i += 1
            continue
        _add_row(table, row_from_cells(cells, i + 1))
        i += 1
    return table, i


def row_from_cells(cells: list[str], line: int, bold: bool | None = None) -> Row:
    """A row from its cells in the order STT, name, unit, value, note (and more
    notes); `bold` defaults to whether a cell carries bold markup."""
    cells = [*cells, "", "", "", "", ""][:5] if len(cells) < 5 else cells
    stt, name, unit, value = (clean(c) for c in cells[:4])
    note = " ".join(clean(c) for c in cells[4:] if clean(c))
    if bold is None:
        bold = any(has_markup_bold(c) for c in cells)
    return Row(line, stt, name, unit, value, note, bold)


def _add_row(table: Table, row: Row) -> None:
    """Append a row, or fold a wrapped name / an option line into the previous one."""
    prev = table.rows[-1] if table.rows else None
    if not (row.stt or row.name or row.unit or row.value or row.note):
        return
    if prev and not row.stt and not row.name and row.unit:
        prev.unit = f"{prev.unit} {row.unit}".strip()
        if row.value and not prev.value:
            prev.value = row.value
        return
    if prev and not row.stt and row.name and not row.unit and not row.value and not row.note:
        prev.name = f"{prev.name} {row.name}".strip()
        return
    if fold(row.stt) == "trong do":
        row.stt, row.breakdown = "", True
    elif not row.stt and prev and prev.breakdown:
        row.breakdown = True
    table.rows.append(row)


def _caption(lines: list[str], header_index: int) -> list[str]:
    """The lines that name a table: from its `Phụ lục …`/`Biểu mẫu …` label down,
    or, when there is no label close above, the single line just above it."""
    seen: list[str] = []
    j = header_index - 1
    while j >= 0 and len(seen) < 6 and "\t" not in lines[j]:
        text = clean(lines[j])
        if text:
            seen.insert(0, text)
            if _CAPTION.match(text):
                return seen
        j -= 1
    return seen[-1:]


def _split_caption(table: Table) -> None:
    title: list[str] = []
    for n, text in enumerate(table.caption):
        m = _CAPTION.match(text) if n == 0 else None
        if m:
            label = text[: m.end()].strip()
            table.label = label[0].upper() + label[1:]
            text = text[m.end() :].strip(" .:-")
        if text and not text.startswith("("):
            title.append(text)
    joined = " ".join(title)
    # "…năm 2022**Đơn vị: UBND xã Hà Vinh**": the unit is not part of the title.
    table.title = re.split(r"\s*Đơn vị\s*:", joined)[0].strip()


def _is_heading(text: str, raw: str) -> tuple[str, str] | None:
    """(number, title) when a narrative line is an outline heading."""
    if len(text) > 200:
        return None
    marked = raw.lstrip().startswith("#")
    m = _ROMAN.match(text)
    if m and m.group(1):
        return m.group(1), m.group(2).strip()
    m = _NUMBERED.match(text)
    if m and (marked or not text.rstrip().endswith((".", ";", ":"))) and len(text) < 160:
        return m.group(1), m.group(2).strip()
    return None


def _code_for(number: str, stack: list[tuple[int, str]]) -> tuple[str, int]:
    if _ROMAN.match(f"{number}. x"):
        return number, 1
    depth = number.count(".") + 1
    roman = next((c for lv, c in stack if lv == 1 and _ROMAN.match(f"{c}. x")), None)
    if roman and "." not in number:
        return f"{roman}.{number}", 2
    if roman:
        return f"{roman}.{number}", depth + 1
    return number, depth


def read_text_report(text: str, file: str = "") -> TextDocument:
    """Read a report in the seed text format."""
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tables: list[Table] = []
    table_lines: set[int] = set()
    i = 0
    while i < len(lines):
        if "\t" in lines[i] and _is_header_row(_cells(lines[i])):
            table, end = _read_table(lines, i)
            table.caption = _caption(lines, i)
            _split_caption(table)
            if table.rows:
                tables.append(table)
            table_lines.update(range(i, end))
            i = end
        else:
            i += 1
    header = read_header(lines)
    narrative = _read_narrative(lines, header, table_lines, tables)
    return TextDocument(file=file, header=header, narrative=narrative, tables=tables)


def _read_narrative(
    lines: list[str], h: HeaderFacts, table_lines: set[int], tables: list[Table]
) -> list[NarrativeSection]:
    """Narrative text grouped under the outline headings, from `Kính gửi` to `Nơi nhận`."""
    start = h.line_of.get("recipients", h.line_of.get("doc_type", 0))
    end = h.line_of.get("distribution", len(lines) + 1) - 1
    sections: list[NarrativeSection] = []
    intro = NarrativeSection(code="", number="", title="", level=0, line=start + 1)
    current = intro
    stack: list[tuple[int, str]] = []
    paragraphs: dict[int, list[tuple[int, str]]] = {id(intro): []}
    for n in range(start, min(end, len(lines))):
        if n in table_lines:
            continue
        raw = lines[n]
        t = clean(raw)
        if not t or (n < start + 8 and t.startswith("-") and not sections):
            continue
        heading = _is_heading(t, raw)
        if heading:
            number, title = heading
            code, level = _code_for(number, stack)
            stack = [(lv, c) for lv, c in stack if lv < level] + [(level, code)]
            current = NarrativeSection(
                code=code, number=number, title=title, level=level, line=n + 1
            )
            sections.append(current)
            paragraphs[id(current)] = []
        else:
            paragraphs[id(current)].append((n + 1, t))
    for s in [intro, *sections]:
        s.text = "\n\n".join(t for _, t in paragraphs[id(s)])
        s.lines = [n for n, _ in paragraphs[id(s)]]
    return ([intro] if intro.text else []) + sections

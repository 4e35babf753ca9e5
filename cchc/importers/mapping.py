"""Put the rows of a read table onto the indicators of a template.

A row is matched by its printed code when the name agrees, else by its name
(folded, fuzzy) — so a district's renumbered or misnumbered copy of a form
still lands on the right indicators, and every disagreement is a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from cchc.core.templates import Form, Indicator, ReportTemplate, Severity
from cchc.core.text import fold
from cchc.core.validation import Finding
from cchc.core.values import Entry, ReportValues, Source
from cchc.importers.seed_text import Row, Table

__all__ = ["MappedTable", "TemplateMatch", "match_template", "numbering_findings", "similarity"]

CODE_AND_NAME = 70  # a row whose code matches needs only this name similarity
NAME_ONLY = 88  # a row matched on its name alone needs this much


def similarity(name: str, ind: Indicator) -> float:
    """How alike a printed row name is to an indicator (0–100)."""
    a = fold(name)
    return max(fuzz.ratio(a, fold(ind.name)), fuzz.ratio(a, fold(ind.label)))


@dataclass
class MappedTable:
    table: Table
    form: Form
    rows: list[tuple[Row, Indicator | None]]
    findings: list[Finding] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return sum(1 for _, ind in self.rows if ind is not None)

    @property
    def exact(self) -> int:
        return sum(1 for row, ind in self.rows if ind is not None and row.code == ind.code)


def _where(form: Form, row: Row) -> str:
    shown = row.stt or ("Trong đó" if row.breakdown else "(không số)")
    return f"{form.label or form.code}, dòng {shown} «{row.name}»"


def map_table(table: Table, form: Form) -> MappedTable:
    """Match every row of a table onto the indicators of one form."""
    mapped = MappedTable(table, form, [])
    used: set[str] = set()
    context: Indicator | None = None
    for row in table.rows:
        ind = _match_row(row, form, context, used)
        if ind is not None:
            used.add(ind.code)
            if row.code:
                context = ind
            if row.code and row.code != ind.code:
                mapped.findings.append(
                    Finding(
                        "wrong-code",
                        Severity.WARNING,
                        f"{_where(form, row)}: in số thứ tự {row.stt} nhưng nội dung là chỉ tiêu "
                        f"{ind.code} «{ind.name}» của mẫu.",
                        form=form.code,
                        codes=(ind.code,),
                        labels=(ind.name,),
                        line=row.line,
                    )
                )
        elif row.code and form.get(row.code) is None and not row.value:
            pass  # a blank row the template does not have: nothing to lose
        else:
            mapped.findings.append(
                Finding(
                    "unmatched-row",
                    Severity.WARNING,
                    f"{_where(form, row)}: không khớp chỉ tiêu nào của {form.label or form.code}"
                    + (
                        f"; giá trị {row.value} chưa được nhập, cần người xác nhận"
                        if row.value
                        else ""
                    )
                    + ".",
                    form=form.code,
                    codes=(row.code,) if row.code else (),
                    labels=(row.name,),
                    values={"raw": row.value} if row.value else {},
                    line=row.line,
                )
            )
            if row.code:
                context = None
        mapped.rows.append((row, ind))
    return mapped


def _match_row(row: Row, form: Form, context: Indicator | None, used: set[str]) -> Indicator | None:
    if row.code:
        ind = form.get(row.code)
        if ind is not None and ind.code not in used and similarity(row.name, ind) >= CODE_AND_NAME:
            return ind
    candidates = [i for i in form.indicators if i.code not in used]
    if not row.code and context is not None:
        below = [i for i in candidates if i.parent == context.code]
        best = _best(row.name, below, CODE_AND_NAME)
        if best:
            return best
    return _best(row.name, candidates, NAME_ONLY)


def _best(name: str, candidates: list[Indicator], threshold: float) -> Indicator | None:
    scored = [(similarity(name, i), n, i) for n, i in enumerate(candidates)]
    scored = [s for s in scored if s[0] >= threshold]
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0], -s[1]))[2]


def numbering_findings(table: Table, form_code: str, label: str) -> list[Finding]:
    """Duplicated, out-of-order and skipped row numbers, whatever the template."""
    out: list[Finding] = []
    seen: dict[str, int] = {}
    previous: tuple[int, ...] | None = None
    for row in table.rows:
        if not row.code:
            continue
        key = tuple(int(p) for p in row.code.split("."))
        before = ".".join(map(str, previous)) if previous else ""
        problem: tuple[str, Severity, str] | None = None
        if row.code in seen:
            problem = ("duplicate-code", Severity.WARNING, f"trùng với dòng {seen[row.code]}")
        elif previous is not None and key <= previous:
            problem = ("code-out-of-order", Severity.WARNING, f"đứng sau {before}")
        elif previous is not None and _skips(previous, key):
            problem = ("code-gap", Severity.INFO, f"nhảy từ {before} sang {row.code}")
        if problem:
            rule, severity, what = problem
            text = f"số thứ tự {what}" if rule == "code-gap" else f"số thứ tự {row.code} {what}"
            out.append(
                Finding(
                    rule,
                    severity,
                    f"{label}, dòng {row.stt} «{row.name}»: {text}.",
                    form=form_code,
                    codes=(row.code,),
                    labels=(row.name,),
                    line=row.line,
                )
            )
        seen.setdefault(row.code, row.line)
        previous = max(previous, key) if previous else key
    return out


def _skips(previous: tuple[int, ...], key: tuple[int, ...]) -> bool:
    """Whether `key` skips a number after `previous` (2.1 → 2.3, 2 → 2.2, 5 → 7)."""
    common = 0
    while common < min(len(previous), len(key)) and previous[common] == key[common]:
        common += 1
    if common == len(key):
        return False
    expected = previous[common] + 1 if common < len(previous) else 1
    return key[common] != expected or any(k != 1 for k in key[common + 1 :])


@dataclass
class TemplateMatch:
    template: ReportTemplate
    tables: list[MappedTable]
    score: float
    values: ReportValues
    findings: list[Finding]


def match_template(tables: list[Table], template: ReportTemplate, file: str = "") -> TemplateMatch:
    """Map every table onto its best form of the template, and collect the values."""
    mapped: list[MappedTable] = []
    for table in tables:
        options = [map_table(table, form) for form in template.forms]
        if not options:
            continue
        best = max(options, key=lambda m: (m.exact + m.matched, _label_agrees(table, m.form)))
        mapped.append(best)
    total_rows = sum(len(t.rows) for t in tables) or 1
    score = sum(m.matched for m in mapped) / total_rows
    values: ReportValues = {}
    findings: list[Finding] = []
    for m in mapped:
        findings.extend(
            _merge_numbering(
                numbering_findings(m.table, m.form.code, m.form.label or m.form.code), m.findings
            )
        )
        for row, ind in m.rows:
            if ind is None or not (row.value or row.note):
                continue
            form_values = values.setdefault(m.form.code, {})
            if ind.code in form_values:
                continue
            form_values[ind.code] = Entry(
                raw=row.value, note=row.note, source=Source(file, row.line, row.stt, row.name)
            )
    return TemplateMatch(template, mapped, score, values, findings)


def _merge_numbering(numbering: list[Finding], mapping: list[Finding]) -> list[Finding]:
    """One finding per misnumbered row: the numbering problem says what the row really is."""
    wrong = {f.line: f for f in mapping if f.rule == "wrong-code"}
    merged: list[Finding] = []
    for f in numbering:
        w = wrong.pop(f.line, None) if f.rule in ("duplicate-code", "code-out-of-order") else None
        if w:
            real = f"{w.codes[0]} «{w.labels[0]}»"
            f = replace(
                f,
                message=f"{f.message[:-1]}; nội dung là chỉ tiêu {real} của mẫu.",
                codes=(*f.codes, w.codes[0]),
                labels=(*f.labels, w.labels[0]),
            )
        merged.append(f)
    rest = [f for f in mapping if f.rule != "wrong-code" or f.line in wrong]
    return sorted(merged + rest, key=lambda f: f.line or 0)


def _label_agrees(table: Table, form: Form) -> bool:
    return bool(table.label) and fold(table.label) == fold(form.label)

"""A report read once: template + values → every cell's reading, the formulas'
values and the findings.

Every consumer of a report's figures takes this one object instead of reading
the raw text again: validation and the CLI, the form page, the API, readiness,
the Word and Excel writers (through `ReportContent.reading`). A cell is read by
`cell_reading.read_value` exactly once per report; a cell the writers fill in
(a rate the unit left blank, written as the core computed it) is read once when
a writer first asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from cchc.core.cell_reading import ReadValue, read_value
from cchc.core.templates import Indicator, Kind, ReportTemplate
from cchc.core.validation import (
    Finding,
    ValidationResult,
    evaluated,
    rate_findings,
    rule_finding,
    unknown_form,
    unknown_indicator,
    value_findings,
)
from cchc.core.values import Entry, ReportValues

__all__ = ["Key", "ReadReport", "read_report"]

Key = tuple[str, str]  # (form code, indicator code)


@dataclass
class ReadReport(ValidationResult):
    """The report as read: `readings` of every cell the template knows, `values` the
    numbers among them, `computed` every formula's value, `findings` sorted by form
    and line. `entries` are the values it was read from."""

    template: ReportTemplate
    entries: ReportValues
    readings: dict[Key, ReadValue] = field(default_factory=dict)
    texts: dict[Key, str] = field(default_factory=dict, repr=False)  # what each was read from

    def read(self, form: str, ind: Indicator, raw: str) -> ReadValue:
        """The reading of `raw` in that cell: the one already made when it is the text
        read, else read now (a cell filled in after reading) and kept."""
        key, text = (form, ind.code), raw.strip()
        if self.texts.get(key) == text and key in self.readings:
            return self.readings[key]
        reading = read_value(ind, raw)
        self.readings[key], self.texts[key] = reading, text
        return reading

    def reading(self, form: str, code: str) -> ReadValue | None:
        """The reading of a cell that was read, or None."""
        return self.readings.get((form, code))

    def with_findings(self, extra: Iterable[Finding]) -> ReadReport:
        """The same reading with `extra` findings (an importer's) sorted in, as
        `read_report(…, extra)` would give them, without reading again."""
        return replace(self, findings=_sorted(self.template, [*extra, *self.findings]))


def read_report(
    template: ReportTemplate, values: ReportValues, extra: Iterable[Finding] = ()
) -> ReadReport:
    """Read one report's values against its template, compute its formulas and check
    its rules; `extra` findings (an importer's) are sorted in with the rest."""
    report = ReadReport(list(extra), {}, {}, template, values)
    findings, numbers = report.findings, report.values
    entries: dict[Key, Entry] = {}
    for form_code, form_values in values.items():
        form = template.form(form_code)
        if form is None:
            findings.append(unknown_form(template, form_code))
            continue
        for code, entry in form_values.items():
            ind = form.get(code)
            if ind is None:
                findings.append(unknown_indicator(form, code, entry))
                continue
            read = report.read(form_code, ind, entry.raw)
            findings.extend(value_findings(form, ind, entry, read))
            entries[(form_code, code)] = entry
            if read.value is not None and ind.kind is not Kind.HEADING:
                numbers[(form_code, code)] = read.value
    _compute(report, entries)
    for rule in template.rules:
        if (found := rule_finding(rule, template, numbers, entries)) is not None:
            findings.append(found)
    report.findings = _sorted(template, findings)
    return report


def _sorted(template: ReportTemplate, findings: list[Finding]) -> list[Finding]:
    """By form, in the template's order, then by line; stable, so equal places keep
    the order the checks found them in."""
    order = {f.code: i for i, f in enumerate(template.forms)}
    return sorted(findings, key=lambda f: (order.get(f.form, -1), f.line or 0))


def _compute(report: ReadReport, entries: dict[Key, Entry]) -> None:
    """Every formula's value, in dependency order, with what a reported rate says
    against it."""
    template, numbers, computed = report.template, report.values, report.computed

    def lookup_for(form_code: str):  # type: ignore[no-untyped-def]
        def lookup(form: str | None, code: str) -> Decimal | None:
            key = (form or form_code, code)
            return computed[key] if key in computed else numbers.get(key)

        return lookup

    for form_code, code in template.derived_order:
        form = template.form(form_code)
        ind = form.get(code) if form else None
        if not form or not ind or not ind.formula:
            continue
        lookup = lookup_for(form_code)
        value = evaluated(ind.formula.evaluate, lookup)
        if not isinstance(value, Decimal):
            value = None
        operands = {str(r): lookup(r.form, r.code) for r in ind.formula.refs}
        report.findings.extend(
            rate_findings(
                form,
                ind,
                entries.get((form_code, code)),
                numbers.get((form_code, code)),
                value,
                operands,
            )
        )
        computed[(form_code, code)] = value

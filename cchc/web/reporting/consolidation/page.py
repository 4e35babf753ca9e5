"""The consolidated round as the page and `cchc consolidate` show it: one projection.

The view only draws the charts it is given and renders; the command prints the
same rows and the same lists of units, so the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from cchc.core.consolidation import Consolidation
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.documents.charts import Chart, bars, submissions
from cchc.web.reporting.consolidation.table import TableRow, table_rows
from cchc.web.reporting.consolidation.totals import consolidate_round
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.template_versions.store import template_of


@dataclass(frozen=True)
class BranchFigures:
    """One indicator across the branches (the columns), as (branch name, figure)."""

    ind: Indicator
    values: list[tuple[str, Decimal | None]]


@dataclass(frozen=True)
class ConsolidationPage:
    """Every figure and list of units of one round's consolidation, by name."""

    round: ReportingRound
    template: ReportTemplate
    result: Consolidation
    names: dict[str, str]
    rows: list[TableRow]  # every form's
    units: list[str]
    submitted: list[str]
    late: list[str]
    not_submitted: list[str]

    @cached_property
    def _parts(self) -> dict[str, Consolidation]:
        """The consolidation of each branch, made only when a page asks for columns."""
        return self.result.breakdown()

    @cached_property
    def _branches(self) -> list[str]:
        return sorted(self._parts) if self._parts else sorted(self.result.expected)

    @property
    def columns(self) -> list[str]:
        """The branches: a province round's communes, a national one's provinces."""
        return [self.names.get(b, b) for b in self._branches]

    def form(self, code: str = "") -> Form:
        """The form asked for, else the first."""
        return self.template.form(code) or self.template.forms[0]

    def rows_of(self, form: Form) -> list[TableRow]:
        return [r for r in self.rows if r.form.code == form.code]

    def per_branch(self, form: Form) -> list[BranchFigures]:
        """Each figure of the form (not headings, not coded answers) by branch: the
        commune itself in a province round, the province's consolidated figure in a
        national one."""
        return [
            BranchFigures(r.ind, self._figures(r))
            for r in self.rows_of(form)
            if not r.heading and r.ind.kind is not Kind.CHOICE
        ]

    def rate(self, form: Form) -> BranchFigures | None:
        """The form's first rate by branch, the one the page draws as bars."""
        row = next(
            (r for r in self.rows_of(form) if r.ind.kind is Kind.RATE and not r.heading), None
        )
        return BranchFigures(row.ind, self._figures(row)) if row else None

    def rate_chart(self, form: Form) -> Chart | None:
        """The form's first rate as one bar per branch, if the form has a rate."""
        rate = self.rate(form)
        if rate is None:
            return None
        return bars(f"{rate.ind.stt} {rate.ind.name}", rate.values, kind=Kind.RATE)

    def submissions_chart(self) -> Chart:
        """The whole round: sent on time, late, not yet."""
        return submissions(self.result)

    def _figures(self, row: TableRow) -> list[tuple[str, Decimal | None]]:
        parts, total = self._parts, row.total
        out = []
        for b in self._branches:
            if total is None:
                value = None
            elif b in total.by_unit or b not in parts:
                value = total.by_unit.get(b)
            else:
                value = parts[b][row.form.code, row.ind.code].value
            out.append((self.names.get(b, b), value))
        return out


def consolidation_page(rnd: ReportingRound) -> ConsolidationPage:
    """The round's stored consolidation, projected for the page and the command."""
    result, names = consolidate_round(rnd)
    template = template_of(rnd.template)

    def named(units) -> list[str]:
        return [names.get(u, u) for u in units]

    return ConsolidationPage(
        round=rnd,
        template=template,
        result=result,
        names=names,
        rows=table_rows(template, result, names),
        units=sorted(named(result.expected)),
        submitted=named(result.submitted),
        late=named(result.late),
        not_submitted=named(result.not_submitted),
    )

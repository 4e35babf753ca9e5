"""The figures a comparison stands side by side: this round's and its earlier rounds'.

A round that keeps every unit's own figures (`keeps_every_unit`) compares its units.
A national round keeps only each branch's (province's) sums, so it compares the
branches: each one's figure is its consolidation (`Consolidation.breakdown`), a sum
over its submitted reports with every rate recomputed from the summed numerator and
denominator, never a sum of the communes' rates. Its history is read the same way
from the earlier rounds of the same issuing unit, matched by the branch's code;
communes are compared in their province's own round.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef

from cchc.core import comparison as cmp
from cchc.core.consolidation import Consolidation
from cchc.core.periods import Period, PeriodError
from cchc.core.templates import ReportTemplate
from cchc.web.reporting.consolidation import consolidate_round, keeps_every_unit
from cchc.web.reporting.models import Report, ReportingRound
from cchc.web.reporting.template_versions.store import template_of

MAX_HISTORY = 8  # earlier rounds read at most: two years of the quarterly cycle

Key = tuple[str, str]
Figures = dict[Key, dict[str, Decimal]]  # (form, code) → unit → value


@dataclass(frozen=True)
class Past:
    """An earlier round as far as this round's units go."""

    round: ReportingRound
    label: str
    units: frozenset[str]
    figures: Figures
    totals: dict[Key, Decimal | None] = field(default_factory=dict)  # the round's, ours keys


def period_label(key: str) -> str:
    try:
        return Period.from_key(key).label
    except PeriodError:
        return key


def by_branch(result: Consolidation) -> bool:
    """Whether the round kept only its branches' sums, so is compared by branch."""
    return not keeps_every_unit(len(result.expected))


def compared(result: Consolidation, branches: bool) -> tuple[set[str], Figures]:
    """The units the round compares (its branches, or every unit with a report) and
    every figure of theirs that has a value: a branch's from its own consolidation,
    a unit's from its report."""
    if not branches:
        figures = {
            key: {u: v for u, v in total.by_unit.items() if v is not None}
            for key, total in result.totals.items()
        }
        return set(result.expected), figures
    kept = _BRANCH_FIGURES.get(id(result))
    if kept is not None and kept[0] is result:
        _BRANCH_FIGURES.move_to_end(id(result))
        return set(kept[1]), kept[2]
    parts = result.breakdown()
    out: Figures = {key: {} for key in result.totals}
    for branch, part in parts.items():
        for key, total in part.totals.items():
            if total.value is not None and key in out:
                out[key][branch] = total.value
    _BRANCH_FIGURES[id(result)] = (result, frozenset(parts), out)
    while len(_BRANCH_FIGURES) > BRANCH_FIGURES_LIMIT:
        _BRANCH_FIGURES.popitem(last=False)
    return set(parts), out


# The branch figures of the last consolidations read, by the very result object (kept
# alive here, so its id stays its own): `consolidate_round` hands back the same merged
# result while a round is unchanged, and a national page reads five rounds, each
# broken down into 34 consolidations of one branch. Read only, never changed.
_BRANCH_FIGURES: OrderedDict[int, tuple[Consolidation, frozenset[str], Figures]] = OrderedDict()
BRANCH_FIGURES_LIMIT = 32


def comparable_figures(template: ReportTemplate, figures: Figures) -> Figures:
    return {
        key: values
        for key, values in figures.items()
        if (ind := template.indicator(*key)) is not None and cmp.comparable(ind)
    }


def _same_figures(source: ReportTemplate, target: ReportTemplate) -> dict[Key, Key]:
    """Which comparable figure of `source` is which of `target`: the same code on the same
    template, the same name, unit and kind on another version."""
    if source.id == target.id:
        return {
            (f.code, i.code): (f.code, i.code)
            for f in target.forms
            for i in f.indicators
            if cmp.comparable(i)
        }
    mapping = cmp.mapping_by_name(source, target)
    return {(form, code): new for (_, form, code), new in mapping.indicators.items()}


def _earlier(rnd: ReportingRound, branches: bool) -> list[ReportingRound]:
    """The earlier rounds to read, newest first: those of the same issuing unit when
    comparing branches, else those sharing a unit with this one.

    The rounds are found by their ids first: a national round has 3.321 units, and
    joining them to every earlier report, then de-duplicating rounds with their
    template text, took more than a second on PostgreSQL.
    """
    rounds = ReportingRound.objects.filter(window_end__lt=rnd.window_end).exclude(pk=rnd.pk)
    if branches:
        rounds = rounds.filter(issuer_id=rnd.issuer_id)
    else:
        ours = Report.objects.filter(round=rnd).values("unit_id")
        shared = Report.objects.filter(round=OuterRef("pk"), unit_id__in=ours)
        rounds = rounds.filter(Exists(shared))
    ids = list(
        rounds.order_by("-window_end", "-deadline").values_list("pk", flat=True)[:MAX_HISTORY]
    )
    found = ReportingRound.objects.select_related("template").in_bulk(ids)
    return [found[pk] for pk in ids]


def past_rounds(
    rnd: ReportingRound, template: ReportTemplate, units: set[str], *, branches: bool = False
) -> list[Past]:
    """Earlier rounds sharing a unit (with `branches`, a branch) with this one (`units`
    are its compared units), oldest first, from their stored totals; another template
    version counts only on the indicators it shares by name."""
    out = []
    for past in reversed(_earlier(rnd, branches)):
        same = _same_figures(template_of(past.template), template)
        if not same:
            continue
        result, _ = consolidate_round(past)
        present, theirs_by_unit = compared(result, branches)
        figures = {
            ours: {u: v for u, v in theirs_by_unit.get(theirs, {}).items() if u in units}
            for theirs, ours in same.items()
            if theirs in result.totals
        }
        totals = {
            ours: total.value
            for theirs, ours in same.items()
            if (total := result.totals.get(theirs)) is not None
        }
        label = period_label(past.period_key)
        seen = frozenset(units.intersection(present))
        if seen:
            out.append(Past(past, label, seen, figures, totals))
    return out

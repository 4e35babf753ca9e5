"""A round's consolidation kept in the database, branch by branch, as reports change state.

Each branch (a direct child of the issuing unit: a commune of a province round, a
province of a national one) has one `RoundTotal` row holding the `Tally` of its
submitted reports and a fingerprint of what it was made from: the submitted
reports (id, unit, level), the template text and the tally format. Submitting
and returning a report add it to or take it from its branch's tally in the same
transaction (the workflow's `report_moved` signal, heard by
`report_moved_receiver`; `combined` does one report's work, not the branch's, and
the fingerprint changes by that report's hash alone).
Reading a round makes again, lazily, any branch that is stale — a report put in
another way, a unit moved in the tree, a template changed — so what is read
always equals `consolidate_round_full` (queries.py). `cchc manage
rebuild_totals` remakes them all. A process keeps what it decoded and merged by
content (`_fresh`, `_MERGED`), so reading an unchanged round again costs its
reports' query, not the tallies' decoding and merging.
"""

from __future__ import annotations

import gc
import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from django.db import IntegrityError, transaction

from cchc.core.consolidation import (
    DIGEST,
    Consolidation,
    Tally,
    TallyUnit,
    branch_of,
    combined,
    consolidation_from_tallies,
    tally_reports,
)
from cchc.core.templates import ReportTemplate
from cchc.web.reporting.consolidation.queries import (
    SUBMITTED,
    RoundReport,
    one_report,
    report_values,
    round_reports,
    unit_reports,
)
from cchc.web.reporting.models import ReportingRound, RoundTotal
from cchc.web.reporting.template_versions.store import template_of

FORMAT = "tally-2"  # change when a Tally's meaning changes: every stored one becomes stale
# Up to this many reports, a round keeps every unit's own figures, which the comparison
# of later rounds reads (a commune's 2025 figure in a round where its district was the
# branch); a national round keeps only its provinces' sums.
KEEP_EVERY_UNIT = 1_000


def keeps_every_unit(reports: int) -> bool:
    """Whether a round of this many reports keeps every unit's own figures, not only
    its branches' sums (read at call time, so a test may lower the limit)."""
    return reports <= KEEP_EVERY_UNIT


def _branches(reports: Iterable[RoundReport]) -> dict[str, list[RoundReport]]:
    """The round's reports by branch, in report order."""
    out: dict[str, list[RoundReport]] = {}
    for r in reports:
        root = r.path[0] if r.path else r.unit
        out.setdefault(branch_of(r.unit, r.path, root) or r.unit, []).append(r)
    return out


def _fingerprint(
    rnd: ReportingRound, branch: str, members: list[RoundReport], every_unit: bool
) -> str:
    """What a branch's tally was made from: the round's template and the branch, mixed
    (exclusive or) with one hash per submitted report, so that a report added or taken
    away changes it by that report's hash alone (`_toggled`)."""
    digest = hashlib.sha256(f"{FORMAT}|{rnd.template.pk}|{branch}|{every_unit}|".encode())
    digest.update(_text_digest(rnd.template.yaml_text))
    mixed = int.from_bytes(digest.digest(), "big")
    for r in members:
        if r.submitted:
            mixed ^= _member(r)
    return f"{mixed:064x}"


def _member(r: RoundReport) -> int:
    return int.from_bytes(hashlib.sha256(f"{r.id}:{r.unit}:{r.level}".encode()).digest(), "big")


def _toggled(fingerprint: str, r: RoundReport) -> str:
    """The fingerprint with one report put in or taken out. A stored tally that was
    stale before stays stale after: the reader still makes it again."""
    try:
        return f"{int(fingerprint, 16) ^ _member(r):064x}"
    except ValueError:
        return ""


@lru_cache(maxsize=64)
def _text_digest(text: str) -> bytes:
    """A template's text digested once, not once per branch (34 times a national read)."""
    return hashlib.sha256(text.encode()).digest()


def _make(
    rnd: ReportingRound,
    template: ReportTemplate,
    stale: dict[str, list[RoundReport]],
    every_unit: bool,
) -> dict[str, Tally]:
    """Tally the stale branches from their submitted reports' values, keeping the
    branch's own figures (and with `every_unit` those of every unit in it)."""
    submitted = [r for members in stale.values() for r in members if r.submitted]
    values = report_values(r.id for r in submitted)
    return {
        branch: tally_reports(
            template,
            unit_reports(rnd, [r for r in members if r.submitted], values),
            keep={branch, *(r.unit for r in members)} if every_unit else {branch},
        )
        for branch, members in stale.items()
    }


# Tallies decoded in this process, by stored row and content digest (`Tally.to_data`):
# the same digest is the same figures, so a branch is decoded again only once its
# content has changed. A national round's 34 tallies decode in ~20 ms and hold ~5 MB.
_DECODED: OrderedDict[tuple[int, str], Tally] = OrderedDict()
DECODED_LIMIT = 512  # branches kept (≤ ~75 MB), least recently read dropped first


def _fresh(
    rnd: ReportingRound, prints: dict[str, str], *, force: bool = False
) -> tuple[dict[str, Tally], set[str]]:
    """The stored tallies whose fingerprint is the current one (none with `force`),
    decoded or kept from an earlier read, and every branch stored."""
    rows = RoundTotal.objects.filter(round=rnd).values_list(
        "pk", "branch", "fingerprint", f"data__{DIGEST}"
    )
    stored: set[str] = set()
    wanted: dict[str, tuple[int, str]] = {}
    for pk, branch, fingerprint, digest in rows:
        stored.add(branch)
        if not force and prints.get(branch) == fingerprint:
            wanted[branch] = (pk, digest if isinstance(digest, str) else "")
    tallies: dict[str, Tally] = {}
    missing: dict[int, str] = {}
    for branch, key in wanted.items():
        if key[1] and (kept := _DECODED.get(key)) is not None:
            _DECODED.move_to_end(key)
            tallies[branch] = kept
        else:
            missing[key[0]] = branch
    if missing:
        again = RoundTotal.objects.filter(pk__in=missing).values_list("pk", "fingerprint", "data")
        for pk, fingerprint, data in again:
            branch = missing[pk]
            if fingerprint != prints[branch]:
                continue  # changed since the first query: made again as stale
            tally = tallies[branch] = Tally.from_data(data)
            _keep(_DECODED, (pk, tally.digest) if tally.digest else None, tally, DECODED_LIMIT)
    return {b: tallies[b] for b in prints if b in tallies}, stored  # in branch order


def _sync(
    rnd: ReportingRound,
    reports: list[RoundReport],
    *,
    force: bool = False,
    groups: dict[str, list[RoundReport]] | None = None,
) -> tuple[dict[str, Tally], int]:
    """Every branch's tally, the stored ones read back and the stale ones made again
    and stored; also how many were made. `groups` are the reports by branch, when known."""
    template = template_of(rnd.template)
    groups = _branches(reports) if groups is None else groups
    every_unit = keeps_every_unit(len(reports))
    prints = {b: _fingerprint(rnd, b, members, every_unit) for b, members in groups.items()}
    tallies, stored = _fresh(rnd, prints, force=force)
    stale = {b: members for b, members in groups.items() if b not in tallies}
    made = _make(rnd, template, stale, every_unit) if stale else {}
    gone = set(stored) - set(groups)
    if made or gone:
        try:
            with transaction.atomic():
                RoundTotal.objects.filter(round=rnd, branch__in=set(made) | gone).delete()
                RoundTotal.objects.bulk_create(
                    RoundTotal(round=rnd, branch=b, fingerprint=prints[b], data=t.to_data())
                    for b, t in made.items()
                )
        except IntegrityError:
            pass  # another request stored the same branches at the same moment
    tallies.update(made)
    return tallies, len(made)


def sync_round_totals(rnd: ReportingRound, *, force: bool = False) -> int:
    """Bring a round's stored tallies up to date (all of them with `force`); how many
    branches were made again."""
    reports, _ = round_reports(rnd)
    return _sync(rnd, reports, force=force)[1]


def consolidate_round(rnd: ReportingRound) -> tuple[Consolidation, dict[str, str]]:
    """The round's consolidation as every reader sees it: from its stored tallies, made
    again where stale, with unit names.

    Equal to `consolidate_round_full` (queries.py) except that, in a round of more
    than `KEEP_EVERY_UNIT` reports, per-unit figures (`by_unit`) are those of the
    branches that are units themselves; `breakdown()` answers by
    branch of the issuing unit.
    """
    was_enabled = gc.isenabled()
    gc.disable()  # thousands of small objects, none in cycles
    try:
        reports, names = round_reports(rnd)
        groups = _branches(reports)
        tallies, _ = _sync(rnd, reports, groups=groups)
        units: list[TallyUnit] = [(r.unit, r.level, r.submitted, r.late) for r in reports]
        branches = {
            b: (tallies[b], [(r.unit, r.level, r.submitted, r.late) for r in members])
            for b, members in groups.items()
        }
        root = reports[0].path[0] if reports and reports[0].path else ""
        key = _merged_key(rnd, root, tallies, units)
        result = _MERGED.get(key) if key else None
        if result is None:
            result = consolidation_from_tallies(
                template_of(rnd.template),
                list(tallies.values()),
                units,
                root=root,
                branches=branches,
            )
            _keep(_MERGED, key, result, MERGED_LIMIT)
        return result, names
    finally:
        if was_enabled:
            gc.enable()


# The last merged consolidations, by all they were merged from: the template, the
# tallies' contents and every unit's (level, submitted, late). Merging a national
# round's 34 tallies takes ~25 ms; a page that reads it again and again reuses it.
_MERGED: OrderedDict[tuple, Consolidation] = OrderedDict()
MERGED_LIMIT = 32


def _merged_key(
    rnd: ReportingRound, root: str, tallies: dict[str, Tally], units: list[TallyUnit]
) -> tuple | None:
    """What a merge is made from, when every tally was read from stored content."""
    if not all(t.digest for t in tallies.values()):
        return None
    template = rnd.template
    contents = tuple((b, t.digest) for b, t in tallies.items())
    return (template.pk, _text_digest(template.yaml_text), root, contents, tuple(units))


def _keep(cache: OrderedDict, key: tuple | None, value: object, limit: int) -> None:
    if key is not None:
        cache[key] = value
        while len(cache) > limit:
            cache.popitem(last=False)


def report_moved_receiver(sender, *, report, before: str, after: str, **_) -> None:
    """Heard in the transaction of a state change (signals.report_moved): a report
    entering or leaving the submitted states changes its branch's tally."""
    if (before in SUBMITTED) != (after in SUBMITTED):
        _move_one(report.round, report.pk)


def _move_one(rnd: ReportingRound, report_id: int) -> None:
    """Add the one report just submitted to its branch's stored tally, or take away the
    one just returned: one report's work, not the branch's nor the round's.

    The branch's row is locked, so submissions to one branch take turns and those to
    others do not wait. Its fingerprint is changed by this report alone: a row that
    was already stale (a report put in another way, a unit moved) stays so, and the
    next reader makes it again from all of its reports (`_sync`).
    """
    me = one_report(rnd, report_id)
    if me is None:
        return
    branch = branch_of(me.unit, me.path, me.path[0]) or me.unit
    row = RoundTotal.objects.select_for_update().filter(round=rnd, branch=branch).first()
    if row is None:  # a round nobody has read yet: every branch is made, once
        _sync(rnd, round_reports(rnd)[0])
        return
    every_unit = keeps_every_unit(rnd.reports.count())
    keep = {branch, me.unit} if every_unit else {branch}
    sent = replace(me, submitted=True)
    template = template_of(rnd.template)
    one = tally_reports(template, unit_reports(rnd, [sent], report_values([me.id])), keep=keep)
    row.data = combined(Tally.from_data(row.data), one, remove=not me.submitted).to_data()
    row.fingerprint = _toggled(row.fingerprint, me)
    row.save(update_fields=["fingerprint", "data"])

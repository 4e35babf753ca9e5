"""A round's consolidation in the database: the one path every reader takes.

`consolidate_round` (totals.py) reads the round's stored branch tallies
(`RoundTotal`, fingerprinted, made again lazily where stale) and is what the
page, the CLI, the comparison, the consolidated Word report and prefill show.
`queries.py` reads reports and values (and `consolidate_round_full`, the
recomputation from every value the stored tallies are checked against);
`table.py` lays the result out as rows, CSV and Excel; `page.py` projects it
for the page and `cchc consolidate`.
"""

from __future__ import annotations

from cchc.web.reporting.consolidation.queries import (
    SUBMITTED,
    RoundReport,
    consolidate_round_full,
    report_values,
    round_reports,
    round_unit_reports,
)
from cchc.web.reporting.consolidation.totals import (
    consolidate_round,
    keeps_every_unit,
    sync_round_totals,
)

__all__ = [
    "SUBMITTED",
    "RoundReport",
    "consolidate_round",
    "consolidate_round_full",
    "keeps_every_unit",
    "report_values",
    "round_reports",
    "round_unit_reports",
    "sync_round_totals",
]

"""Consolidation (tổng hợp): roll the reports of subordinate units up to the unit above.

DESIGN §9: counts and amounts are summed; rates are recomputed from the summed
numerators and denominators, never averaged (1/2 and 99/100 make 100/102 =
98,04%, not 74,5%); coded answers become counts per option; text and notes are
listed per unit; completeness and timeliness come with every consolidation.

The caller resolves the unit tree valid at the round's period and gives each
report its path; the core never reads the tree, so a commune that moved between
parents in 2025 rolls up along the tree of its own report's period.

The rooms: `result` (what goes in and comes out), `reading` (raw text → number,
cached), `running` (`RunningTotals` and `consolidate`), `summary` (held state →
result), `figures` (the shared arithmetic), `tally` (a branch reduced to a few
stored figures), `merge` (tallies merged back into the same result) and
`version_mapping` (an older template's indicators read as a newer one's).
Callers import from here.
"""

from __future__ import annotations

from cchc.core.consolidation.merge import consolidation_from_tallies
from cchc.core.consolidation.result import (
    Consolidation,
    ExpectedUnit,
    IndicatorTotal,
    LevelTotal,
    UnitReport,
    branch_of,
)
from cchc.core.consolidation.running import RunningTotals, consolidate
from cchc.core.consolidation.tally import (
    DIGEST,
    Cell,
    Tally,
    TallyUnit,
    combined,
    content_digest,
    tally_reports,
)
from cchc.core.consolidation.version_mapping import Key, VersionMapping, mapping_from_data

__all__ = [
    "DIGEST",
    "Cell",
    "Consolidation",
    "ExpectedUnit",
    "IndicatorTotal",
    "Key",
    "LevelTotal",
    "RunningTotals",
    "Tally",
    "TallyUnit",
    "UnitReport",
    "VersionMapping",
    "branch_of",
    "combined",
    "consolidate",
    "consolidation_from_tallies",
    "content_digest",
    "mapping_from_data",
    "tally_reports",
]

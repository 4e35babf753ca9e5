"""What the workflow tells whoever listens: parts given out, parts marked, reports moved on,
rounds changed.

The operations send these after writing their change, inside their own transaction,
so a listener's rows (the notices) are kept or rolled back with it. The workflow does
not know who listens: cchc/web/notices turns them into notices and mail, and the
consolidation (consolidation/totals.py) remakes the stored totals of a report that
entered or left the submitted states.
"""

from __future__ import annotations

from django.dispatch import Signal

# report, assignments (the Assignment rows given out), by (who gave them)
parts_assigned = Signal()
# report, assignment, done (True for «xong», False when reopened), by
part_marked = Signal()
# report, before and after (ReportState values), by
report_moved = Signal()
# round, reports (those the change concerns), change (what was done, a Vietnamese clause
# such as "gia hạn nộp cho Xã An đến 20/12/2026 17:00"), by; removed=True when the
# reports are about to be deleted (their unit was taken out of the round)
round_changed = Signal()

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cchc.web.reporting"
    label = "reporting"
    verbose_name = "Đợt báo cáo và báo cáo"

    def ready(self) -> None:
        """The stored totals follow the workflow's state changes (signals.report_moved)."""
        from cchc.web.reporting.consolidation.totals import (  # noqa: PLC0415 — models load before receivers
            report_moved_receiver,
        )
        from cchc.web.reporting.signals import report_moved  # noqa: PLC0415 — models load before receivers

        report_moved.connect(report_moved_receiver, dispatch_uid="consolidation-totals")

"""Rounds can be closed and reopened per unit, a unit can have its own deadline, and the
titles written «quý i» by the first versions read «quý I»."""

from django.db import migrations, models

from cchc.core.periods import Period, PeriodError


def capitalise_titles(apps, schema_editor) -> None:
    rounds = apps.get_model("reporting", "ReportingRound")
    for rnd in rounds.objects.filter(title__startswith="Báo cáo CCHC "):
        try:
            period = Period.from_key(rnd.period_key)
        except PeriodError:
            continue
        wrong = f"Báo cáo CCHC {period.label.lower()}"
        if rnd.title.startswith(wrong) and period.label.lower() != period.in_sentence:
            rnd.title = f"Báo cáo CCHC {period.in_sentence}{rnd.title[len(wrong) :]}"
            rnd.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_template_drafts"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="deadline",
            field=models.DateTimeField(blank=True, null=True, verbose_name="hạn riêng của đơn vị"),
        ),
        migrations.AddField(
            model_name="report",
            name="reopened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mở lại lúc"),
        ),
        migrations.AddField(
            model_name="reportinground",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="khóa lúc"),
        ),
        migrations.RunPython(capitalise_titles, migrations.RunPython.noop),
    ]

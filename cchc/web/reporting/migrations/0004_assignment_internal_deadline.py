from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_number_book"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="hạn nội bộ"),
        ),
    ]

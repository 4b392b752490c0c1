"""ChangeRecord keeps the domain outcome of a change, not an HTTP status (the views map it)."""

from django.db import migrations, models

CODES = {200: "done", 409: "conflict", 400: "invalid"}


def forwards(apps, schema_editor):
    ChangeRecord = apps.get_model("crews", "ChangeRecord")
    for code, outcome in CODES.items():
        ChangeRecord.objects.filter(status_code=code).update(outcome=outcome)


def backwards(apps, schema_editor):
    ChangeRecord = apps.get_model("crews", "ChangeRecord")
    for code, outcome in CODES.items():
        ChangeRecord.objects.filter(outcome=outcome).update(status_code=code)


class Migration(migrations.Migration):
    dependencies = [("crews", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="changerecord",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("done", "ausgeführt"),
                    ("conflict", "Versionskonflikt"),
                    ("invalid", "ungültig"),
                ],
                default="done",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="changerecord", name="status_code"),
    ]

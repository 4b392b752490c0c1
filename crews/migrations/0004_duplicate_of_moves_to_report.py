"""Which report a duplicate belongs to moves from the crew side (WorkState) to the public
report (reports.Report.duplicate_of), so the public page and Open311 can say so."""

from django.db import migrations


def forward(apps, schema_editor):
    WorkState = apps.get_model("crews", "WorkState")
    Report = apps.get_model("reports", "Report")
    for report_id, original_id in WorkState.objects.filter(
        duplicate_of__isnull=False
    ).values_list("report_id", "duplicate_of_id"):
        Report.objects.filter(pk=report_id).update(duplicate_of_id=original_id)


def backward(apps, schema_editor):
    WorkState = apps.get_model("crews", "WorkState")
    Report = apps.get_model("reports", "Report")
    for report_id, original_id in Report.objects.filter(
        duplicate_of__isnull=False
    ).values_list("pk", "duplicate_of_id"):
        WorkState.objects.filter(report_id=report_id).update(duplicate_of_id=original_id)


class Migration(migrations.Migration):
    dependencies = [
        ("crews", "0003_crewnotice"),
        ("reports", "0007_report_duplicate_of"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="workstate", name="duplicate_of"),
    ]

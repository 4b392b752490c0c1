from django.db import migrations


class Migration(migrations.Migration):
    """Matching an item is a ~2 ms index query run once per published item. When an item lies
    in a district with many subscribers the planner's estimate crossed the parallel threshold
    and it launched a parallel worker: a new process that loads PostGIS before it helps, which
    made those items take 25-40 ms (the whole p95 tail of the alert bench). Per table, because
    the setting only concerns this table's small indexed reads."""

    dependencies = [
        ("alerts", "0002_alter_match_topic_alter_subscription_topics"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE alerts_subscription SET (parallel_workers = 0)",
            "ALTER TABLE alerts_subscription RESET (parallel_workers)",
        ),
    ]

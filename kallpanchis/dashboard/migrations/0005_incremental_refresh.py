"""The facts brought up to date a few seconds after a write: where each measure reads from, the tables written
since (filled by a statement trigger the full rebuild installs on those tables), and the beat task that
refreshes the measures they feed every 10 seconds (services.facts_refresh_changed). The full rebuild stays,
every 15 minutes."""

from django.db import migrations, models

NAME = "dashboard: refresh the figures a write changed"

FUNCTION = """
CREATE OR REPLACE FUNCTION dashboard_fact_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    mine bigint := nullif(current_setting('kallpanchis.fact_change_' || TG_TABLE_NAME, true), '')::bigint;
BEGIN
    -- One row per transaction and table (its id remembered in a transaction-local setting); a row this
    -- transaction made and the refresh already took is made again. Nothing another writer waits for.
    IF mine IS NOT NULL THEN
        UPDATE dashboard_factchange SET at = now() WHERE id = mine;
        IF FOUND THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO dashboard_factchange ("table", at) VALUES (TG_TABLE_NAME, now()) RETURNING id INTO mine;
    PERFORM set_config('kallpanchis.fact_change_' || TG_TABLE_NAME, mine::text, true);
    RETURN NULL;
END $$;
"""


def function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP FUNCTION IF EXISTS dashboard_fact_change() CASCADE")


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=10, period="seconds")
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": "kallpanchis.dashboard.tasks.facts_refresh_changed", "interval": every}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0004_disaggregations_json"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="FactChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("table", models.CharField(max_length=63)),
                ("at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="MeasureSource",
            fields=[
                ("measure", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("tables", models.JSONField(default=list)),
            ],
        ),
        migrations.RunPython(function, drop_function),
        migrations.RunPython(schedule, unschedule),
    ]

"""Attendance counts gender with the project's one choice set (kallpanchis.core.models.Gender): the rows
stored as "unspecified" become "unstated"."""

from django.db import migrations, models

CHOICES = [("female", "Woman"), ("male", "Man"), ("unstated", "Not stated")]


def to_unstated(apps, schema_editor):
    apps.get_model("spaces", "Attendance").objects.filter(gender="unspecified").update(gender="unstated")


def to_unspecified(apps, schema_editor):
    apps.get_model("spaces", "Attendance").objects.filter(gender="unstated").update(gender="unspecified")


class Migration(migrations.Migration):
    dependencies = [
        ("spaces", "0006_data_version_one_lock"),
    ]

    operations = [
        migrations.RunPython(to_unstated, to_unspecified),
        migrations.AlterField(
            model_name="attendance",
            name="gender",
            field=models.CharField(choices=CHOICES, max_length=10, verbose_name="gender"),
        ),
    ]

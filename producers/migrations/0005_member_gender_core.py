"""Members count gender with the project's one choice set (kallpanchis.core.models.Gender): "F" and "M"
become "female" and "male"."""

from django.db import migrations, models

CHOICES = [("female", "Woman"), ("male", "Man"), ("unstated", "Not stated")]


def to_words(apps, schema_editor):
    Member = apps.get_model("producers", "Member")
    Member.objects.filter(gender="F").update(gender="female")
    Member.objects.filter(gender="M").update(gender="male")


def to_letters(apps, schema_editor):
    Member = apps.get_model("producers", "Member")
    Member.objects.filter(gender="female").update(gender="F")
    Member.objects.filter(gender="male").update(gender="M")
    # The old field had no "not stated": such members go back without a gender rather than a wrong one.
    Member.objects.filter(gender="unstated").update(gender="")


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0004_plan_review_order"),
    ]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="gender",
            field=models.CharField(choices=CHOICES, max_length=10, verbose_name="gender"),
        ),
        migrations.RunPython(to_words, to_letters),
    ]

"""Delegates and Comité de Vigilancia members count gender with the project's one choice set
(kallpanchis.core.models.Gender); the stored values ("female", "male") do not change."""

from django.db import migrations, models

CHOICES = [("female", "Woman"), ("male", "Man"), ("unstated", "Not stated")]


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0002_workshop_meeting"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delegate",
            name="gender",
            field=models.CharField(choices=CHOICES, max_length=10, verbose_name="gender"),
        ),
        migrations.AlterField(
            model_name="vigilancemember",
            name="gender",
            field=models.CharField(choices=CHOICES, max_length=10, verbose_name="gender"),
        ),
    ]

"""Building blocks every app shares: the one set of gender choices, the timestamps base, and the data
versions the list cache keys on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """How the project counts participation by gender (one spelling of "not stated" for every record)."""

    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    UNSTATED = "unstated", _("Not stated")


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """One step of the version of a group of tables that cached lists read (kallpanchis/core/caching.py): a
    group's version is the sum of its committed steps. Written only by the PostgreSQL statement trigger
    `kallpanchis_data_version_bump(group)`, one random positive step per transaction and group, in the same
    transaction as the write (an INSERT: no writer waits for another); readers fold a group's steps into one
    row now and then, keeping the sum. A random step keeps a database created again (tests, a restore) from
    meeting blocks cached for an earlier one under the same version."""

    name = models.TextField()  # indexed on PostgreSQL with the version by core 0005
    version = models.BigIntegerField()

    class Meta:
        db_table = "kallpanchis_data_version"

    def __str__(self):
        return f"{self.name}+{self.version}"

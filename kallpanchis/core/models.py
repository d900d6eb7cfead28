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
    """The version of a group of tables that cached lists read (kallpanchis/core/caching.py). Written only by
    the PostgreSQL statement trigger `kallpanchis_data_version_bump(group)`, in the same transaction as every
    write to those tables; the first version of a group is random, so that a database created again (tests,
    a restore) never meets blocks cached for an earlier one under the same number."""

    name = models.TextField(primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        db_table = "kallpanchis_data_version"

    def __str__(self):
        return f"{self.name}={self.version}"

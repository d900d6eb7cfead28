from django.db import models
from django.utils.translation import gettext_lazy as _


class Backup(models.Model):
    """One run of the backup: an archive (database dump, uploaded files, manifest) in the backup storage,
    and the result of restoring it in a drill, when one was run."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("Nightly")
        MANUAL = "manual", _("By hand")
        DRILL = "drill", _("Restore drill")

    class Drill(models.TextChoices):
        NOT_RUN = "not_run", _("Not restored yet")
        PASSED = "passed", _("Restored: 0 differences")
        FAILED = "failed", _("Restore failed or differed")

    name = models.CharField(max_length=100, unique=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # Where it was written: a folder or an S3 bucket (never a secret).
    location = models.CharField(max_length=300, blank=True)
    tables = models.PositiveIntegerField(null=True, blank=True)
    rows = models.BigIntegerField(null=True, blank=True)
    files = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    drill = models.CharField(max_length=10, choices=Drill.choices, default=Drill.NOT_RUN)
    drill_at = models.DateTimeField(null=True, blank=True)
    drill_differences = models.PositiveIntegerField(null=True, blank=True)
    drill_report = models.TextField(blank=True)
    # Set when rotation deleted the archive (kept 7 daily / 4 weekly / 12 monthly).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(finished_at__gte=models.F("started_at")),
                name="backup_finishes_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

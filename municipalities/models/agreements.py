import datetime

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kallpanchis.core.models import Timestamped
from kallpanchis.core.uploads import DocumentValidator, PrivatePath

from .common import manages_all
from .territory import Municipality

AGREEMENT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement status", "Draft")
    SIGNED = "signed", pgettext_lazy("agreement status", "Signed")
    EXPIRED = "expired", pgettext_lazy("agreement status", "Expired")


class PartnershipAgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PartnershipAgreementQuerySet":
        """An agreement is seen by whoever sees its municipality."""
        return self.filter(municipality__in=Municipality.objects.worked_by(user))

    def editable_by(self, user) -> "PartnershipAgreementQuerySet":
        """Only coordinators and partner staff sign agreements on the consortium's behalf."""
        return self if manages_all(user) else self.none()

    def with_status(self, today: datetime.date | None = None) -> "PartnershipAgreementQuerySet":
        """Annotate `status_code` from the dates, so lists can filter on it; never stored."""
        today = today or timezone.localdate()
        return self.annotate(
            status_code=Case(
                When(signed_on__isnull=True, then=Value(AgreementStatus.DRAFT)),
                When(valid_until__lt=today, then=Value(AgreementStatus.EXPIRED)),
                default=Value(AgreementStatus.SIGNED),
                output_field=models.CharField(),
            )
        )

    def with_status_code(self, code: str, today: datetime.date | None = None):
        return self.with_status(today).filter(status_code=code)


class PartnershipAgreement(Timestamped):
    """A convenio between the consortium and one municipality. Its status is read from its dates: draft
    until signed, expired the day after its validity ends."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200)
    consortium_parties = models.ManyToManyField(
        "organisations.Organisation",
        related_name="partnership_agreements",
        verbose_name=_("consortium parties"),
        blank=True,
        limit_choices_to=~Q(consortium_role=""),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    consortium_commitments = models.TextField(_("commitments of the consortium"), blank=True)
    municipality_commitments = models.TextField(_("commitments of the municipality"), blank=True)
    document = models.FileField(
        _("signed document"),
        upload_to=PrivatePath("agreements"),
        validators=[DocumentValidator(max_bytes=AGREEMENT_DOCUMENT_MAX_BYTES)],
        blank=True,
        help_text=_("PDF, JPG or PNG, at most 10 MB."),
    )

    objects = PartnershipAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__organisation__name", "-signed_on", "title"]
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(valid_until__isnull=False),
                name="agreement_signed_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day: datetime.date) -> str:
        if self.signed_on is None:
            return AgreementStatus.DRAFT
        if self.valid_until and self.valid_until < day:
            return AgreementStatus.EXPIRED
        return AgreementStatus.SIGNED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return AgreementStatus(self.status).label

"""Personal access tokens: a person's key for programs that read the API in their name.

Only the SHA-256 of the secret is stored; the secret is shown once, when the token is made. A token reads
(GET, HEAD, OPTIONS) and never writes, whatever its owner may do on the pages.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kallpanchis.accounts.access import access_for


class PersonalAccessTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonalAccessTokenQuerySet":
        """A person sees their own tokens; coordinators see everyone's (to revoke a leaked one)."""
        access = access_for(user)
        if not access.authenticated:
            return self.none()
        if access.is_coordinator:
            return self
        return self.filter(user=user)

    def editable_by(self, user) -> "PersonalAccessTokenQuerySet":
        return self.visible_to(user)

    def active(self) -> "PersonalAccessTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class PersonalAccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What it is for, e.g. “Donor report”."))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, shown so that its owner can tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="api_token_has_name"),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 (a check, not a password)
                name="api_token_hash_sha256",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

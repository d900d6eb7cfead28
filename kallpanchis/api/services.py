"""Everything that writes personal access tokens: made, renamed, revoked, and stamped when used."""

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PersonalAccessToken

TOKEN_PREFIX = "kp_"  # noqa: S105 (the visible start of every token, not a secret)
MAX_ACTIVE_TOKENS = 20
# Stamping the last use on every request would write on every read: once a minute is precise enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so that you know what it is for.")})
    if len(name) > 100:
        raise ValidationError({"name": _("At most 100 characters.")})
    return name


@transaction.atomic
def token_create(*, user, name: str) -> tuple[PersonalAccessToken, str]:
    """A new token for this person; returns it with its secret, which is never stored and never shown
    again. A person keeps at most MAX_ACTIVE_TOKENS active tokens."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    name = _clean_name(name)
    # Lock the person's row so that two requests at once cannot both pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if PersonalAccessToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(n)s active tokens: revoke one you no longer use.")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user, name=name, token_hash=token_hash(secret), prefix=secret[: len(TOKEN_PREFIX) + 6]
    )
    return token, secret


def _editable(*, by, token: PersonalAccessToken) -> PersonalAccessToken:
    found = PersonalAccessToken.objects.editable_by(by).select_for_update().filter(pk=token.pk).first()
    if found is None:
        raise PermissionDenied
    return found


@transaction.atomic
def token_rename(*, by, token: PersonalAccessToken, name: str) -> PersonalAccessToken:
    """Its owner (or a coordinator) renames a token; the secret does not change."""
    token = _editable(by=by, token=token)
    token.name = _clean_name(name)
    token.save(update_fields=["name"])
    return token


@transaction.atomic
def token_revoke(*, by, token: PersonalAccessToken) -> PersonalAccessToken:
    """Its owner, or any coordinator, revokes a token: it stops working at once. Revoking twice keeps the
    first date."""
    token = _editable(by=by, token=token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_use(*, secret: str) -> PersonalAccessToken | None:
    """The active token with this secret, its person active, stamped as used now; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        PersonalAccessToken.objects.active()
        .select_related("user")
        .filter(token_hash=token_hash(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

"""Creating, checking and revoking API tokens."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from selko.accounts.models import ApiToken
from selko.audit.services import audit_record
from selko.errors import NotFound, ValidationFailed

TOKEN_PREFIX = "selko_"  # noqa: S105  (a public marker, not a secret)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # the only time the full key exists outside the client


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationFailed(
            "Give the token a name, e.g. 'CI import script'.", details={"name": ["Required."]}
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], prefix=prefix, secret_hash=_hash(secret))
    audit_record(actor=user, action="api_token.created", target=token, details={"name": token.name})
    return IssuedToken(token=token, key=f"{TOKEN_PREFIX}{prefix}_{secret}")


def api_token_authenticate(*, key: str) -> ApiToken | None:
    if not key.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = key[len(TOKEN_PREFIX) :].partition("_")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    # Writing on every request would turn reads into writes; a minute's precision is enough.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    audit_record(actor=user, action="api_token.revoked", target=token, details={"name": token.name})
    token.delete()

"""Invitations: how someone outside the admin's organizations becomes a member.

The admin names an email address or a username; the answer is the same whether or not such an account
exists (nothing is looked up), so the form cannot be used to learn who has an account. The link carries
a random token; only its hash is stored. It works once, until it expires, for a logged-in account (the
named one, when a username was given).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from selko.audit.services import audit_record
from selko.errors import Conflict, NotFound, ValidationFailed
from selko.request_types import AnyUser
from selko.tenancy.models import Invitation, Membership, Organization, Role
from selko.tenancy.services import membership_set, require_admin

INVITATION_DAYS = 7
MAX_RECIPIENT = 254
# One answer for every link that cannot be used: unknown, used, expired, revoked or meant for another
# account, so that a link says nothing about anyone but its holder.
NOT_VALID = "This invitation link is not valid: it was used, it expired or it is for another account."


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once, in the link; never stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clean_recipient(recipient: str) -> str:
    recipient = recipient.strip()
    if not recipient or len(recipient) > MAX_RECIPIENT:
        raise ValidationFailed(
            "Name the person to invite: an email address or a username.",
            details={"recipient": [f"Between 1 and {MAX_RECIPIENT} characters."]},
        )
    if "@" in recipient:
        try:
            validate_email(recipient)
        except DjangoValidationError:
            raise ValidationFailed(
                f"{recipient!r} is not an email address.", details={"recipient": ["Not an email address."]}
            ) from None
    return recipient


@transaction.atomic
def invitation_create(
    *, actor: AnyUser, organization: Organization, recipient: str, role: Role
) -> IssuedInvitation:
    require_admin(actor=actor, organization=organization, action="invite members")
    recipient = _clean_recipient(recipient)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        role=role,
        recipient=recipient,
        token_hash=_hash(token),
        created_by=actor if actor.is_authenticated else None,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.created",
        target=invitation,
        organization=organization,
        details={"recipient": recipient, "role": role},
    )
    return IssuedInvitation(invitation=invitation, token=token)


def _usable(token: str, *, lock: bool = False) -> Invitation | None:
    invitations = Invitation.objects.select_related("organization")
    if lock:
        invitations = invitations.select_for_update()
    invitation = invitations.filter(token_hash=_hash(token)).first()
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        return None
    return invitation


def _meant_for(invitation: Invitation, user: User) -> bool:
    return invitation.is_email or invitation.recipient.lower() == user.get_username().lower()


def invitation_get(*, user: User, token: str) -> Invitation:
    """The invitation behind a link, for its page; the same refusal for every unusable link."""
    invitation = _usable(token)
    if invitation is None or not _meant_for(invitation, user):
        raise NotFound(NOT_VALID)
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Membership:
    invitation = _usable(token, lock=True)
    if invitation is None or not _meant_for(invitation, user):
        raise NotFound(NOT_VALID)
    if Membership.objects.filter(user=user, organization=invitation.organization).exists():
        raise Conflict(f"You are already a member of {invitation.organization.name}.")
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return membership_set(
        actor=user, organization=invitation.organization, user=user, role=Role(invitation.role)
    )


def invitations_pending(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def invitation_list(*, actor: AnyUser, organization: Organization) -> QuerySet[Invitation]:
    """The pending invitations, for an admin of the organization only: a link names who was invited."""
    require_admin(actor=actor, organization=organization, action="see invitations")
    return invitations_pending(organization=organization).select_related("organization", "created_by")


@transaction.atomic
def invitation_revoke(*, actor: AnyUser, organization: Organization, invitation_id: int) -> None:
    require_admin(actor=actor, organization=organization, action="revoke invitations")
    invitation = invitations_pending(organization=organization).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("No such pending invitation.")
    audit_record(
        actor=actor,
        action="invitation.revoked",
        target=invitation,
        organization=organization,
        details={"recipient": invitation.recipient},
    )
    invitation.delete()

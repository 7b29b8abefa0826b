"""The e-mail that carries an invitation's link to an email address.

Sent after the invitation is committed and outside any transaction: a slow or failing mail server must
neither hold a database lock nor undo the invitation. A failure is reported to the admin, who can still
share the link by hand.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats

from selko.request_types import AnyUser
from selko.tenancy.invitations import IssuedInvitation, invitation_create
from selko.tenancy.models import Invitation, Organization, Role

logger = logging.getLogger(__name__)


class EmailStatus(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    NOT_AN_EMAIL = "not_an_email"  # the invitation names a username: the admin shares the link


@dataclass(frozen=True)
class EmailOutcome:
    status: EmailStatus
    message: str  # for the admin


def invitation_email_send(*, invitation: Invitation, link: str) -> EmailOutcome:
    if not invitation.is_email:
        return EmailOutcome(
            EmailStatus.NOT_AN_EMAIL,
            f"Invitation for {invitation.recipient} created: send them the link (only the account with "
            "that username can accept it).",
        )
    organization = invitation.organization.name
    inviter = invitation.created_by.get_username() if invitation.created_by else "An administrator"
    expires = formats.date_format(invitation.expires_at, "DATE_FORMAT")
    role = invitation.get_role_display().lower()
    body = (
        f"{inviter} invites you to join {organization} on Selko as {role}.\n\n"
        f"Open this link while logged in to Selko to accept. It works once, until {expires}:\n\n{link}\n\n"
        "If you did not expect this invitation, ignore this e-mail.\n"
    )
    try:
        send_mail(
            subject=f"Invitation to join {organization} on Selko",
            message=body,
            from_email=None,  # DEFAULT_FROM_EMAIL
            recipient_list=[invitation.recipient],
        )
    except (smtplib.SMTPException, OSError) as error:
        # The link is a secret: the log names the invitation, never the link.
        logger.warning("invitation %s: the e-mail could not be sent (%s)", invitation.pk, error)
        return EmailOutcome(
            EmailStatus.FAILED,
            f"Invitation for {invitation.recipient} created, but the e-mail could not be sent "
            f"({type(error).__name__}). The invitation stands: send them the link yourself.",
        )
    return EmailOutcome(
        EmailStatus.SENT, f"Invitation for {invitation.recipient} created and e-mailed with the link."
    )


@dataclass(frozen=True)
class SentInvitation:
    issued: IssuedInvitation
    link: str
    email: EmailOutcome


def invitation_send(
    *,
    actor: AnyUser,
    organization: Organization,
    recipient: str,
    role: Role,
    absolute_uri: Callable[[str], str],
) -> SentInvitation:
    """Create the invitation, then e-mail its link (`absolute_uri`: the request's, for the link's host).

    The e-mail goes out once the invitation is committed: whatever the mail server does, it stands."""
    issued = invitation_create(actor=actor, organization=organization, recipient=recipient, role=role)
    # The page that accepts it is the web UI's; it is reached by its route name, not imported.
    link = absolute_uri(reverse("frontend:invitation", kwargs={"token": issued.token}))
    return SentInvitation(issued, link, invitation_email_send(invitation=issued.invitation, link=link))

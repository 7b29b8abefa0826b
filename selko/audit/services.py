"""Recording audit events. Call it inside the transaction of the change it records."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from selko.audit.models import AuditEvent


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model,
    project: Any = None,
    organization: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    if project is not None and organization is None:
        organization = project.organization
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        organization=organization,
        project=project,
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        details=details or {},
    )

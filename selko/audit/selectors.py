"""Reads of the audit trail, scoped to a project the caller already resolved for the user."""

from django.db.models import QuerySet

from selko.audit.models import AuditEvent
from selko.tenancy.models import Project


def audit_events_for_project(*, project: Project, limit: int = 50) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(project=project).select_related("actor")[:limit]

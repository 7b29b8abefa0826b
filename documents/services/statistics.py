"""The counts a project's dashboard shows, kept on the project row so the dashboard reads one row."""

from typing import Any

from django.utils import timezone

from selko.errors import NotFound
from selko.tenancy.models import Project


def project_statistics_compute(*, project: Project) -> dict[str, Any]:
    requirements = project.requirements.all()
    return {
        "documents": project.documents.count(),
        "requirements": requirements.filter(is_requirement=True).count(),
        "informative": requirements.filter(is_requirement=False).count(),
        "members": project.organization.memberships.count(),
    }


def project_statistics_refresh(*, project_id: int) -> Project:
    """Recount what the dashboard shows. Idempotent: running it twice gives the same numbers."""
    try:
        project = Project.objects.get(pk=project_id)
    except Project.DoesNotExist:
        raise NotFound(f"Project {project_id} no longer exists.") from None
    project.statistics = project_statistics_compute(project=project)
    project.statistics_updated_at = timezone.now()
    project.save(update_fields=["statistics", "statistics_updated_at"])
    return project

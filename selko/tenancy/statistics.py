"""What the project dashboard counts."""

from typing import Any

from selko.tenancy.models import Project


def project_statistics_compute(*, project: Project) -> dict[str, Any]:
    requirements = project.requirements.all()
    return {
        "documents": project.documents.count(),
        "requirements": requirements.filter(is_requirement=True).count(),
        "informative": requirements.filter(is_requirement=False).count(),
        "members": project.organization.memberships.count(),
    }

"""Template tags of the labeling feature, for pages whose views belong to other features."""

from typing import Any

from django import template

from models_app.annotations.selectors import taxonomy_with_readiness
from selko.tenancy.models import Project

register = template.Library()


@register.inclusion_tag("frontend/labeling/_panel.html", takes_context=True)
def labeling_panel(context: dict[str, Any], project: Project) -> dict[str, Any]:
    """The dashboard's labeling card: labeled requirements and each label's training readiness."""
    _index, readiness, labeled_count = taxonomy_with_readiness(project=project)  # one query
    return {
        "project": project,
        "readiness": readiness,
        "minimum": readiness[0].minimum if readiness else None,
        "ready_count": sum(1 for row in readiness if row.ready),
        "labeled_count": labeled_count,
        "can_edit": context.get("can_edit", False),
    }

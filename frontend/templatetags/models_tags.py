"""The dashboard's model card: the active version and the last training job."""

from typing import Any

from django import template

from models_app.registry.selectors import model_version_active
from selko.tenancy.models import Project
from training.selectors import training_job_latest

register = template.Library()


@register.inclusion_tag("frontend/models/_panel.html", takes_context=True)
def models_panel(context: dict[str, Any], project: Project) -> dict[str, Any]:
    return {
        "project": project,
        "active": model_version_active(project=project),
        "latest_job": training_job_latest(project=project),
        "can_edit": context.get("can_edit", False),
    }

"""The project's quality rules page: which rules run and the project's own vague words (admins edit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from documents.quality.rules import RULES
from documents.quality.selectors import quality_settings_get
from documents.quality.services import quality_settings_update
from frontend.views.domain_errors import domain_errors
from selko.errors import ValidationFailed
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.models import Role
from selko.tenancy.selectors import project_get_for_user, user_has_role


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors("frontend:quality-settings")
def quality_settings(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    stored = quality_settings_get(project=project)
    disabled, terms_text, error = set(stored.disabled_rules), "\n".join(stored.extra_vague_terms), ""
    if request.method == "POST":
        enabled = set(request.POST.getlist("enabled"))
        disabled = {rule for rule in RULES if rule not in enabled} | (enabled - set(RULES))
        terms_text = request.POST.get("extra_vague_terms", "")
        try:
            quality_settings_update(
                user=request.user,
                project=project,
                # An unknown rule id sent as "enabled" is named in the error rather than dropped.
                disabled_rules=sorted(disabled),
                extra_vague_terms=[line for line in terms_text.splitlines() if line.strip()],
            )
        except ValidationFailed as refused:
            error = refused.message  # shown in the form, with what was typed kept
        else:
            messages.success(request, "Quality rules saved; every requirement is being checked again.")
            return redirect("frontend:quality-settings", project_slug=project.slug)
    return render(
        request,
        "frontend/quality/settings.html",
        {
            "project": project,
            "rules": [(rule, rule.id not in disabled) for rule in RULES.values()],
            "terms_text": terms_text,
            "stored": stored,
            "error": error,
            "can_edit": user_has_role(user=request.user, project=project, minimum=Role.ADMIN),
        },
        status=400 if error else 200,
    )

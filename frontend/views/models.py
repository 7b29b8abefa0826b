"""Models page (versions, charts, compare, promote, roll back, Retrain) and the live training job page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from frontend.views.domain_errors import domain_errors
from frontend.views.history_chart import history_chart, history_table
from models_app.annotations.selectors import label_training_readiness
from models_app.registry.encoders import encoder_for_project, encoder_list
from models_app.registry.models import ModelVersion, PromotionPolicy
from models_app.registry.selectors import (
    label_names_for_project,
    model_settings_for_project,
    model_version_active,
    model_version_compare,
    model_version_get,
    model_version_history,
    model_version_list,
)
from models_app.registry.services import model_settings_update, model_version_promote, model_version_rollback
from selko.errors import NotFound
from selko.ids import id_from_text
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.models import Role
from selko.tenancy.selectors import project_get_for_user, user_has_role
from training.plan import training_plan
from training.selectors import training_job_get, training_job_latest
from training.services import training_job_cancel, training_job_request


def _label_bars(version: ModelVersion | None, names: dict[str, str]) -> list[dict[str, Any]]:
    if version is None or version.quality["macro_f1"] is None:
        return []  # nothing measured on unseen examples: no bar may suggest otherwise
    rows = []
    for key, values in version.metrics.get("per_label", {}).items():
        f1 = float(values.get("f1") or 0.0)
        rows.append(
            {
                "name": names.get(key, key),
                "f1": f1,
                "percent": round(f1 * 100),
                "support": values.get("support"),
            }
        )
    return sorted(rows, key=lambda row: row["name"])


@login_required
@domain_errors()
def models_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    versions = list(model_version_list(project=project))
    names = label_names_for_project(project=project)
    shown_number = id_from_text(request.GET.get("version"))
    active = model_version_active(project=project)
    shown = (
        next((v for v in versions if v.number == shown_number), None)
        or active
        or (versions[0] if versions else None)
    )
    comparison = None
    first, second = id_from_text(request.GET.get("first")), id_from_text(request.GET.get("second"))
    if first and second:
        try:
            comparison = model_version_compare(
                project=project,
                first=model_version_get(project=project, number=first),
                second=model_version_get(project=project, number=second),
            )
        except NotFound as error:
            messages.error(request, error.message)
    history = model_version_history(project=project)
    chart = history_chart(history)
    context = {
        "project": project,
        "versions": versions,
        "history": history,
        "history_chart": chart,
        "history_rows": history_table(history, chart),
        "active": active,
        "shown": shown,
        "label_bars": _label_bars(shown, names),
        "curve": shown.training_job.metrics_series if shown and shown.training_job else [],
        "comparison": comparison,
        "plan": training_plan(project=project),
        "readiness": label_training_readiness(project=project),
        "latest_job": training_job_latest(project=project),
        "settings": model_settings_for_project(project=project),
        "policies": PromotionPolicy.choices,
        "encoders": encoder_list(),
        "project_encoder": encoder_for_project(project=project).name,
        "can_edit": user_has_role(user=request.user, project=project, minimum=Role.EDITOR),
        "is_admin": user_has_role(user=request.user, project=project, minimum=Role.ADMIN),
    }
    context["minimum"] = context["plan"].minimum
    return render(request, "frontend/models/models.html", context)


@login_required
@domain_errors(back="frontend:models")
@require_POST
def retrain_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    outcome = training_job_request(user=request.user, project=project, force=request.POST.get("force") == "1")
    if outcome.offered_version is not None:
        messages.info(
            request,
            f"Nothing changed since v{outcome.offered_version.number} was trained on the same examples and "
            "settings. Use “Train anyway” to train again.",
        )
        return redirect("frontend:models", project_slug=project.slug)
    if outcome.job is None:
        raise Http404
    if not outcome.created:
        messages.info(request, "A training is already running for this project; here it is.")
    return redirect("frontend:training-job", project_slug=project.slug, job_id=outcome.job.pk)


@login_required
@domain_errors()
def training_job_view(request: AuthenticatedHttpRequest, project_slug: str, job_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    job = training_job_get(project=project, job_id=job_id)
    context = {
        "project": project,
        "job": job,
        "can_edit": user_has_role(user=request.user, project=project, minimum=Role.EDITOR),
    }
    return render(request, "frontend/models/job.html", context)


@login_required
@domain_errors(back="frontend:training-job")
@require_POST
def training_job_cancel_view(
    request: AuthenticatedHttpRequest, project_slug: str, job_id: int
) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    job = training_job_get(project=project, job_id=job_id)
    training_job_cancel(user=request.user, job=job)
    return redirect("frontend:training-job", project_slug=project.slug, job_id=job.pk)


@login_required
@domain_errors(back="frontend:models")
@require_POST
def promote_view(request: AuthenticatedHttpRequest, project_slug: str, number: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    version = model_version_get(project=project, number=number)
    model_version_promote(actor=request.user, version=version)
    messages.success(request, f"v{number} is now active; requirements are being re-tagged.")
    return redirect("frontend:models", project_slug=project.slug)


@login_required
@domain_errors(back="frontend:models")
@require_POST
def rollback_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    version = model_version_rollback(actor=request.user, project=project)
    messages.success(request, f"Rolled back to v{version.number}; requirements are being re-tagged.")
    return redirect("frontend:models", project_slug=project.slug)


@login_required
@domain_errors(back="frontend:models")
@require_POST
def model_settings_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    try:
        drop = float(request.POST.get("max_label_f1_drop_points", ""))
    except ValueError:
        drop = -1.0

    model_settings_update(
        actor=request.user,
        project=project,
        promotion_policy=request.POST.get("promotion_policy", ""),
        max_label_f1_drop_points=drop,
        encoder=request.POST.get("encoder"),
    )
    messages.success(request, "Promotion policy saved.")
    return redirect("frontend:models", project_slug=project.slug)

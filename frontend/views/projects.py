"""Project list, creation and dashboard pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from documents.quality.selectors import project_quality_summary
from frontend.views.domain_errors import domain_errors
from selko.audit.selectors import audit_events_for_project
from selko.errors import DomainError
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.models import Organization, Role
from selko.tenancy.selectors import (
    organization_list_for_user,
    project_get_for_user,
    project_list_for_user,
    role_for_project,
)
from selko.tenancy.services import project_create


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), empty_label=None)

    def __init__(self, *args: object, organizations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


@login_required
@domain_errors()
def project_list(request: HttpRequest) -> HttpResponse:
    projects = project_list_for_user(user=request.user)
    return render(request, "frontend/project_list.html", {"projects": projects})


@login_required
@domain_errors()
def project_create_view(request: HttpRequest) -> HttpResponse:
    organizations = organization_list_for_user(user=request.user)
    form = ProjectForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(
                user=request.user,
                organization=form.cleaned_data["organization"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Project “{project.name}” created.")
            return redirect("frontend:project-dashboard", project_slug=project.slug)
    return render(request, "frontend/project_create.html", {"form": form})


@login_required
@domain_errors()
def project_dashboard(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    role = role_for_project(user=request.user, project=project)
    context = {
        "project": project,
        "role": role,
        "can_edit": role in (Role.EDITOR, Role.ADMIN),
        "recent_events": audit_events_for_project(project=project, limit=10),
        "quality_summary": project_quality_summary(project=project),
    }
    return render(request, "frontend/project_dashboard.html", context)

"""The members of the project's organization: everyone sees who they are, admins manage them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from frontend.views.domain_errors import domain_errors
from selko.errors import DomainError
from selko.ids import id_from_text
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.invitation_mail import EmailStatus, invitation_send
from selko.tenancy.invitations import (
    INVITATION_DAYS,
    invitation_revoke,
    invitations_pending,
)
from selko.tenancy.models import Organization, Role
from selko.tenancy.selectors import membership_candidates, project_get_for_user, role_for_project
from selko.tenancy.services import membership_add, membership_remove, membership_role_change

MAX_LISTED_CANDIDATES = 200


class MemberAddForm(forms.Form):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"list": "member-candidates", "autocomplete": "off"})
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class InviteForm(forms.Form):
    recipient = forms.CharField(
        label="Email address or username",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


def _invite(request: AuthenticatedHttpRequest, organization: Organization, form: InviteForm) -> None:
    sent = invitation_send(
        actor=request.user,
        organization=organization,
        recipient=form.cleaned_data["recipient"],
        role=Role(form.cleaned_data["role"]),
        absolute_uri=request.build_absolute_uri,
    )
    link = sent.link
    # The same answer whoever was named: nothing is looked up, so it tells nothing about accounts. The
    # link is shown even when it was e-mailed, so the admin can also share it another way.
    report = messages.warning if sent.email.status == EmailStatus.FAILED else messages.success
    report(request, f"{sent.email.message} The link works once, for {INVITATION_DAYS} days: {link}")


@login_required
@domain_errors()
@require_http_methods(["GET", "POST"])
def members_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    organization = project.organization
    form = MemberAddForm(request.POST if request.POST.get("action") == "add" else None)
    invite_form = InviteForm(request.POST if request.POST.get("action") == "invite" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite" and invite_form.is_valid():
                _invite(request, organization, invite_form)
                return redirect("frontend:members", project_slug=project.slug)
            if action == "revoke":
                invitation_revoke(
                    actor=request.user,
                    organization=organization,
                    invitation_id=id_from_text(request.POST.get("invitation")) or 0,
                )
                messages.success(request, "Invitation revoked.")
                return redirect("frontend:members", project_slug=project.slug)
            if action == "add" and form.is_valid():
                membership_add(
                    actor=request.user,
                    organization=organization,
                    username=form.cleaned_data["username"],
                    role=Role(form.cleaned_data["role"]),
                )
                messages.success(request, f"{form.cleaned_data['username']} added.")
                return redirect("frontend:members", project_slug=project.slug)
            if action == "role":
                membership_role_change(
                    actor=request.user,
                    organization=organization,
                    membership_id=id_from_text(request.POST.get("membership")) or 0,
                    role=Role(request.POST.get("role", "")),
                )
                messages.success(request, "Role changed.")
                return redirect("frontend:members", project_slug=project.slug)
            if action == "remove":
                membership_remove(
                    actor=request.user,
                    organization=organization,
                    membership_id=id_from_text(request.POST.get("membership")) or 0,
                )
                messages.success(request, "Member removed.")
                return redirect("frontend:members", project_slug=project.slug)
        except (DomainError, ValueError) as error:
            messages.error(request, getattr(error, "message", "That request was not understood."))
    memberships = organization.memberships.select_related("user").order_by("user__username")
    is_admin = role_for_project(user=request.user, project=project) == Role.ADMIN
    candidates = (
        membership_candidates(actor=request.user, organization=organization)
        .filter(memberships__isnull=False)  # colleagues only: new accounts stay unlisted
        .order_by("username")
        .values_list("username", flat=True)[:MAX_LISTED_CANDIDATES]
        if is_admin
        else []
    )
    context = {
        "project": project,
        "organization": organization,
        "memberships": memberships,
        "roles": Role.choices,
        "form": form,
        "invite_form": invite_form,
        "invitations": invitations_pending(organization=organization) if is_admin else [],
        "is_admin": is_admin,
        "candidates": list(candidates),
    }
    return render(request, "frontend/labeling/members.html", context)

"""The page an invitation link opens: who invites to what, and a button to accept while logged in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from selko.errors import Conflict, NotFound
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.invitations import invitation_accept, invitation_get
from selko.tenancy.models import Project


@login_required
@require_http_methods(["GET", "POST"])
def invitation_view(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            membership = invitation_accept(user=request.user, token=token)
            messages.success(request, f"You are now a member of {membership.organization.name}.")
            first = Project.objects.filter(organization=membership.organization).order_by("name").first()
            if first is None:
                return redirect("frontend:project-list")
            return redirect("frontend:project-dashboard", project_slug=first.slug)
        invitation = invitation_get(user=request.user, token=token)
    except NotFound as refused:  # one answer for every unusable link
        return render(request, "frontend/invitation.html", {"error": refused.message}, status=404)
    except Conflict as refused:
        return render(request, "frontend/invitation.html", {"error": refused.message}, status=409)
    return render(request, "frontend/invitation.html", {"invitation": invitation})

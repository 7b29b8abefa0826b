"""The workers page: live workers, queue depths and recent failures, for organization admins."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from frontend.views.domain_errors import domain_errors
from selko.request_types import AuthenticatedHttpRequest
from selko.workers.selectors import workers_overview_for_admin


@login_required
@domain_errors(back="frontend:project-list")
def workers_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    overview = workers_overview_for_admin(user=request.user)
    return render(request, "frontend/workers.html", {"overview": overview})

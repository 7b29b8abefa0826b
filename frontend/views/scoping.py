"""Resolve the project of a page for the signed-in user: another organization's project is a 404."""

from django.http import Http404, HttpRequest

from selko.errors import NotFound
from selko.tenancy.models import Project
from selko.tenancy.selectors import project_get_for_user


def project_or_404(request: HttpRequest, project_slug: str) -> Project:
    try:
        return project_get_for_user(user=request.user, slug=project_slug)
    except NotFound as error:
        raise Http404(error.message) from None

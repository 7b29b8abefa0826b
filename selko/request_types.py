"""Types for the user behind a request, so views pass `request.user` to services without casts.

Every view that reaches a service requires login (HTML views through `login_required`, API views
through DRF's `IsAuthenticated` default), so its user is a `User`. Services that also serve the command
line or the worker take `AnyUser`.
"""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from rest_framework.request import Request

AnyUser = User | AnonymousUser

if TYPE_CHECKING:

    class AuthenticatedHttpRequest(HttpRequest):
        user: User

    class AuthenticatedRequest(Request):
        user: User  # type: ignore[assignment]

else:
    AuthenticatedHttpRequest = HttpRequest
    AuthenticatedRequest = Request

"""Login lockout (django-axes) as Selko wants it: per account and per address, expiring, also for API tokens.

Axes counts failed logins and refuses further attempts once an account or an address reaches
`AXES_FAILURE_LIMIT` failures within `AXES_COOLOFF_TIME`; each failure is forgotten once it is that old,
so the lockout ends by itself. A bad API token names no account, so it counts against its address only.
"""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

API_LOCKOUT_MESSAGE = "Too many failed authentication attempts from this address."


def lockout_parameters(request_or_attempt: Any, credentials: dict[str, Any] | None = None) -> list[str]:
    """Count per account and per address; per address only when no account is named (a bad API token).

    With "username" in the list and no username, Axes would count every anonymous failure of every
    address together, so a few bad tokens anywhere would lock out tokens everywhere.
    """
    if credentials is not None:
        username = credentials.get("username")
    elif isinstance(request_or_attempt, HttpRequest):
        username = request_or_attempt.POST.get("username")
    else:
        username = getattr(request_or_attempt, "username", None)
    return ["username", "ip_address"] if username else ["ip_address"]


def client_ip_address(request: HttpRequest) -> str | None:
    """The address a failure counts against: REMOTE_ADDR, or behind SELKO_TRUSTED_PROXY_COUNT proxies the
    address the outermost of them saw. Without this, every client behind a TLS proxy would share the
    proxy's address, and five wrong passwords anywhere would lock everyone out. Entries to the left of the
    trusted ones are the client's own claims, so they are never used.
    """
    count = settings.SELKO_TRUSTED_PROXY_COUNT
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_seconds(request: HttpRequest | None = None) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds()) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with Retry-After: a page for /login/ and /admin/login/, the API's error shape for a bad token."""
    # Imported here: selko.api.errors imports DRF's views, which load this module's authentication class.
    from selko.api.errors import error_body

    seconds = lockout_seconds(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error_body("throttled", API_LOCKOUT_MESSAGE), status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"minutes": max(1, round(seconds / 60))},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    patch_vary_headers(response, ["Cookie"])
    return response


def address_is_locked_out(request: HttpRequest) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": None})


def api_token_failure_record(request: HttpRequest) -> None:
    """Count a refused API token against the address it came from."""
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.send(sender=__name__, credentials={"username": None}, request=request)

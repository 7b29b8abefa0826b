"""DRF authentication with personal API tokens: `Authorization: Bearer selko_…` (or `Token selko_…`)."""

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from selko.accounts.lockout import (
    API_LOCKOUT_MESSAGE,
    address_is_locked_out,
    api_token_failure_record,
    lockout_seconds,
)
from selko.accounts.services import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        # An address that guessed too many tokens is refused before the next guess is even looked up,
        # or a locked-out client could go on trying and notice when one works.
        if address_is_locked_out(request._request):
            raise exceptions.Throttled(
                wait=lockout_seconds(request._request),
                detail=API_LOCKOUT_MESSAGE,
            )
        if len(header) != 2:
            api_token_failure_record(request._request)
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: expected 'Bearer <token>'."
            )
        token = api_token_authenticate(key=header[1])
        if token is None:
            api_token_failure_record(request._request)
            raise exceptions.AuthenticationFailed("Invalid or revoked API token.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"

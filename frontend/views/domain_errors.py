"""One place that turns the services' domain errors into what a browser page answers.

A `NotFound` (another organization's project, a deleted document) is the 404 page. Any other domain
error (a missing role, a conflict, refused input) of an action becomes an error message on the page the
action came from, named by `back`; a view that shows the error inside its own form catches it itself.
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from selko.errors import DomainError, NotFound

View = TypeVar("View", bound=Callable[..., Any])


def _back_url(back: str, view_kwargs: dict[str, Any]) -> str:
    try:
        return reverse(back, kwargs=view_kwargs)
    except NoReverseMatch:
        # The page to go back to is the project's (it takes only the slug).
        return reverse(back, kwargs={"project_slug": view_kwargs["project_slug"]})


def domain_errors(back: str | None = None) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound as error:
                raise Http404(error.message) from None
            except DomainError as error:
                if back is None:
                    raise
                messages.error(request, error.message)
                return redirect(_back_url(back, kwargs))

        return wrapped  # type: ignore[return-value]

    return decorate

"""Browser routes for documents pages (under /p/<project_slug>/)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

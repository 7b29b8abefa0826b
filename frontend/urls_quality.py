"""Browser routes for requirement quality (under /p/<project_slug>/)."""

from django.urls import URLPattern, URLResolver, path

from frontend.views import quality

urlpatterns: list[URLPattern | URLResolver] = [
    path("quality/settings/", quality.quality_settings, name="quality-settings"),
]

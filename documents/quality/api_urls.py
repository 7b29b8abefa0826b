"""Requirement quality: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from documents.quality import api_views as views

P = "projects/<slug:project_slug>/quality/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{P}summary/", views.ProjectQualitySummaryApi.as_view(), name="quality-summary"),
    path(f"{P}settings/", views.QualitySettingsApi.as_view(), name="quality-settings"),
]

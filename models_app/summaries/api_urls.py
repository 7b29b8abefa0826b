"""Summaries: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from models_app.summaries import api_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "projects/<slug:project_slug>/documents/<id:document_id>/summary/",
        views.DocumentSummaryApi.as_view(),
        name="document-summary",
    ),
]

"""Exports: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from models_app.exports import api_views as views

P = "projects/<slug:project_slug>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{P}exports/", views.ExportJobListApi.as_view(), name="export-list"),
    path(f"{P}exports/requirements/", views.RequirementExportApi.as_view(), name="export-requirements"),
    path(f"{P}exports/<id:export_id>/", views.ExportJobDetailApi.as_view(), name="export-detail"),
    path(
        f"{P}exports/<id:export_id>/download/", views.ExportJobDownloadApi.as_view(), name="export-download"
    ),
]

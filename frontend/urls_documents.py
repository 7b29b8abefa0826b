"""Browser routes for documents pages (under /p/<project_slug>/)."""

from django.urls import URLPattern, URLResolver, path

from frontend.views import documents

urlpatterns: list[URLPattern | URLResolver] = [
    path("documents/", documents.document_list, name="document-list"),
    path("documents/status.json", documents.document_status, name="document-status"),
    path("documents/<int:document_id>/", documents.document_detail, name="document-detail"),
    path("documents/<int:document_id>/download", documents.document_download, name="document-download"),
    path("documents/<int:document_id>/reingest", documents.document_reingest_view, name="document-reingest"),
    path("documents/<int:document_id>/delete", documents.document_delete_view, name="document-delete"),
]

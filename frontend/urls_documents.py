"""Browser routes for documents pages (under /p/<project_slug>/)."""

from django.urls import URLPattern, URLResolver, path

from frontend.views import corrections, documents

urlpatterns: list[URLPattern | URLResolver] = [
    path("documents/", documents.document_list, name="document-list"),
    path("documents/status.json", documents.document_status, name="document-status"),
    path("documents/<id:document_id>/", documents.document_detail, name="document-detail"),
    path("documents/<id:document_id>/download", documents.document_download, name="document-download"),
    path("documents/<id:document_id>/reingest", documents.document_reingest_view, name="document-reingest"),
    path("documents/<id:document_id>/delete", documents.document_delete_view, name="document-delete"),
    path("documents/<id:document_id>/correct/mark", corrections.segment_mark, name="segment-mark"),
    path("documents/<id:document_id>/correct/id", corrections.segment_external_id, name="segment-id"),
    path("documents/<id:document_id>/correct/merge", corrections.segment_merge_next, name="segment-merge"),
    path("documents/<id:document_id>/correct/split", corrections.segment_split, name="segment-split"),
]

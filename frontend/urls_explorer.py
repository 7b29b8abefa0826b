"""Browser routes for the requirements explorer (under /p/<project_slug>/)."""

from django.urls import URLPattern, URLResolver, path

from frontend.views import explorer

urlpatterns: list[URLPattern | URLResolver] = [
    path("explorer/", explorer.explorer, name="explorer"),
    path("explorer/export", explorer.explorer_export_view, name="explorer-export"),
    path("explorer/bulk", explorer.explorer_bulk, name="explorer-bulk"),
    path("explorer/views/<id:view_id>/delete", explorer.explorer_view_delete, name="explorer-view-delete"),
]

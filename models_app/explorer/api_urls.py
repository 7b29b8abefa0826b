"""Explorer: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from models_app.explorer import api_views as views

P = "projects/<slug:project_slug>/explorer/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{P}requirements/", views.ExplorerPageApi.as_view(), name="explorer-requirements"),
    path(f"{P}bulk/", views.ExplorerBulkApi.as_view(), name="explorer-bulk"),
    path(f"{P}views/", views.SavedViewListCreateApi.as_view(), name="explorer-views"),
    path(f"{P}views/<id:view_id>/", views.SavedViewDetailApi.as_view(), name="explorer-view-detail"),
    path(f"{P}export/", views.ExplorerExportApi.as_view(), name="explorer-export"),
]

"""The label tree: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from models_app.taxonomy import api_views as views

P = "projects/<slug:project_slug>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{P}labels/", views.LabelListCreateApi.as_view(), name="label-list"),
    path(f"{P}labels/export/", views.TaxonomyExportApi.as_view(), name="label-export"),
    path(f"{P}labels/import/", views.TaxonomyImportApi.as_view(), name="label-import"),
    path(f"{P}labels/templates/", views.TaxonomyTemplateListApi.as_view(), name="label-template-list"),
    path(
        f"{P}labels/templates/<slug:template_key>/",
        views.TaxonomyTemplateApplyApi.as_view(),
        name="label-template-apply",
    ),
    path(f"{P}labels/<id:label_id>/", views.LabelDetailApi.as_view(), name="label-detail"),
]

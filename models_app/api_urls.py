"""models_app routes under /api/v1/: taxonomy, annotations, the labeling queue and exports."""

from django.urls import URLPattern, URLResolver, path

from models_app.api import views

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
    path(f"{P}labels/<int:label_id>/", views.LabelDetailApi.as_view(), name="label-detail"),
    path(f"{P}annotations/", views.AnnotationListApi.as_view(), name="annotation-list"),
    path(f"{P}annotations/bulk/", views.AnnotationBulkUpsertApi.as_view(), name="annotation-bulk"),
    path(f"{P}labeling/next/", views.LabelingNextApi.as_view(), name="labeling-next"),
    path(
        f"{P}labeling/requirements/<int:requirement_id>/",
        views.RequirementTagsApi.as_view(),
        name="labeling-requirement",
    ),
    path(f"{P}exports/", views.ExportJobListApi.as_view(), name="export-list"),
    path(f"{P}exports/requirements/", views.RequirementExportApi.as_view(), name="export-requirements"),
    path(f"{P}exports/<int:export_id>/", views.ExportJobDetailApi.as_view(), name="export-detail"),
    path(
        f"{P}exports/<int:export_id>/download/", views.ExportJobDownloadApi.as_view(), name="export-download"
    ),
]

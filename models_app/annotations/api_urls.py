"""Annotations and the labeling queue: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from models_app.annotations import api_views as views

P = "projects/<slug:project_slug>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{P}annotations/", views.AnnotationListApi.as_view(), name="annotation-list"),
    path(f"{P}annotations/bulk/", views.AnnotationBulkUpsertApi.as_view(), name="annotation-bulk"),
    path(f"{P}labeling/next/", views.LabelingNextApi.as_view(), name="labeling-next"),
    path(
        f"{P}labeling/requirements/<id:requirement_id>/",
        views.RequirementTagsApi.as_view(),
        name="labeling-requirement",
    ),
]

"""The model registry: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from models_app.registry import api_views as views

P = "projects/<slug:project_slug>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(P + "model-versions/", views.ModelVersionListApi.as_view(), name="model-version-list"),
    path(P + "model-versions/compare/", views.ModelVersionCompareApi.as_view(), name="model-version-compare"),
    path(
        P + "model-versions/rollback/", views.ModelVersionRollbackApi.as_view(), name="model-version-rollback"
    ),
    path(
        P + "model-versions/<id:number>/", views.ModelVersionDetailApi.as_view(), name="model-version-detail"
    ),
    path(
        P + "model-versions/<id:number>/promote/",
        views.ModelVersionPromoteApi.as_view(),
        name="model-version-promote",
    ),
    path(P + "model-settings/", views.ModelSettingsApi.as_view(), name="model-settings"),
    path(
        P + "requirements/<id:requirement_id>/predictions/",
        views.RequirementPredictionsApi.as_view(),
        name="requirement-predictions",
    ),
]

"""`/api/v1/` routes. Each app adds its own module of routes here."""

from django.urls import include, path

from selko.api import views

urlpatterns = [
    path("projects/", views.ProjectListCreateApi.as_view(), name="project-list"),
    path("projects/<slug:project_slug>/", views.ProjectDetailApi.as_view(), name="project-detail"),
    path("tokens/", views.TokenListCreateApi.as_view(), name="token-list"),
    path("tokens/<int:token_id>/", views.TokenDetailApi.as_view(), name="token-detail"),
    path("", include("documents.api_urls")),
    path("", include("models_app.api_urls")),
    path("", include("training.api_urls")),
]

"""The BI feed: routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from models_app.feed import api_views as views

P = "projects/<slug:project_slug>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{P}feed/requirements.csv", views.RequirementFeedCsvApi.as_view(), name="feed-requirements-csv"),
    path(f"{P}feed/requirements.json", views.RequirementFeedJsonApi.as_view(), name="feed-requirements-json"),
]

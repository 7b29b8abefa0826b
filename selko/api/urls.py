"""`/api/v1/` routes: the foundation's own (projects, invitations, tokens), then each noun's routes."""

from django.urls import include, path

from selko.accounts import api_views as accounts
from selko.tenancy import api_views as tenancy
from selko.tenancy import invitations_api

# Every feature app's routes, as strings: the root of the API includes them without importing them.
FEATURE_ROUTES = (
    "documents.api_urls",
    "documents.quality.api_urls",
    "models_app.taxonomy.api_urls",
    "models_app.annotations.api_urls",
    "models_app.exports.api_urls",
    "models_app.feed.api_urls",
    "models_app.explorer.api_urls",
    "models_app.summaries.api_urls",
    "models_app.registry.api_urls",
    "training.api_urls",
)

urlpatterns = [
    path("projects/", tenancy.ProjectListCreateApi.as_view(), name="project-list"),
    path("projects/<slug:project_slug>/", tenancy.ProjectDetailApi.as_view(), name="project-detail"),
    path(
        "organizations/<slug:organization_slug>/invitations/",
        invitations_api.InvitationListCreateApi.as_view(),
        name="invitation-list",
    ),
    path(
        "organizations/<slug:organization_slug>/invitations/<id:invitation_id>/",
        invitations_api.InvitationDetailApi.as_view(),
        name="invitation-detail",
    ),
    path("tokens/", accounts.TokenListCreateApi.as_view(), name="token-list"),
    path("tokens/<id:token_id>/", accounts.TokenDetailApi.as_view(), name="token-detail"),
    path("", include("selko.workers.api_urls")),
    *(path("", include(module)) for module in FEATURE_ROUTES),
]

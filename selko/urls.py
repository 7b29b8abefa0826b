"""Root URLs: the browser UI, the REST API under /api/v1/, its schema and docs, and health checks."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from frontend.urls import auth_urlpatterns
from selko import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(("selko.api.urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL instead of inline, as the CSP requires.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
    *auth_urlpatterns,
    path("", include("frontend.urls")),
]

handler404 = "frontend.views.errors.page_not_found"
handler500 = "frontend.views.errors.server_error"

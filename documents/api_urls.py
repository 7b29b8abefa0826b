"""documents routes under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from documents import api_views, corrections_api

_project = "projects/<slug:project_slug>"

urlpatterns: list[URLPattern | URLResolver] = [
    path(f"{_project}/documents/", api_views.DocumentListUploadApi.as_view(), name="document-list"),
    path(
        f"{_project}/documents/<id:document_id>/",
        api_views.DocumentDetailApi.as_view(),
        name="document-detail",
    ),
    path(
        f"{_project}/documents/<id:document_id>/reingest/",
        api_views.DocumentReingestApi.as_view(),
        name="document-reingest",
    ),
    path(
        f"{_project}/documents/<id:document_id>/file/",
        api_views.DocumentFileApi.as_view(),
        name="document-file",
    ),
    path(f"{_project}/requirements/", api_views.RequirementListApi.as_view(), name="requirement-list"),
    path(
        f"{_project}/requirements/<id:requirement_id>/",
        api_views.RequirementDetailApi.as_view(),
        name="requirement-detail",
    ),
    *(
        path(
            f"{_project}/requirements/<id:requirement_id>/{action}/",
            view.as_view(),
            name=f"requirement-{action}",
        )
        for action, view in (
            ("mark", corrections_api.RequirementMarkApi),
            ("external-id", corrections_api.RequirementExternalIdApi),
            ("merge-next", corrections_api.RequirementMergeNextApi),
            ("split", corrections_api.RequirementSplitApi),
        )
    ),
]

"""The BI feed through the API: the same rows as CSV or JSON, for Power BI, Tableau or Excel "From Web".

Authenticated like the rest of the API (a personal token in `Authorization: Bearer …`); any member of the
project's organization may read it, a viewer included.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from models_app.feed.rendering import feed_csv_stream, feed_json_stream, iso_utc
from models_app.feed.selectors import FeedQuery, feed_rows
from models_app.feed.serializers import FeedInputSerializer
from selko.request_types import AuthenticatedRequest
from selko.tenancy.models import Project
from selko.tenancy.selectors import project_get_for_user

GENERATED_AT_HEADER = "X-Selko-Generated-At"


def _project_and_query(request: AuthenticatedRequest, project_slug: str) -> tuple[Project, FeedQuery]:
    project = project_get_for_user(user=request.user, slug=project_slug)
    params = FeedInputSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    query = FeedQuery(
        updated_since=params.validated_data.get("updated_since"),
        include_informative=params.validated_data["include_informative"],
    )
    return project, query


class RequirementFeedCsvApi(APIView):
    @extend_schema(parameters=[FeedInputSerializer], responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request: AuthenticatedRequest, project_slug: str) -> StreamingHttpResponse:
        """The project's requirements with people's tags, the active model's tags and scores, obligation
        and quality score, one row each, columns fixed. The `X-Selko-Generated-At` header is the
        `updated_since` of the next incremental refresh."""
        project, query = _project_and_query(request, project_slug)
        # Taken before reading: a row changed while the feed streams is in the next refresh.
        generated_at = timezone.now()
        response = StreamingHttpResponse(
            feed_csv_stream(feed_rows(project=project, query=query)), content_type="text/csv; charset=utf-8"
        )
        response[GENERATED_AT_HEADER] = iso_utc(generated_at)
        response["Content-Disposition"] = f'inline; filename="{project.slug}-requirements.csv"'
        return response


class RequirementFeedJsonApi(APIView):
    @extend_schema(
        parameters=[FeedInputSerializer], responses={(200, "application/json"): OpenApiTypes.OBJECT}
    )
    def get(self, request: AuthenticatedRequest, project_slug: str) -> StreamingHttpResponse:
        """The same rows as the CSV feed in `requirements`, with `generated_at` (the `updated_since` of the
        next incremental refresh) and the `columns`."""
        project, query = _project_and_query(request, project_slug)
        generated_at = timezone.now()
        header = {
            "project": project.slug,
            "generated_at": generated_at,
            "updated_since": query.updated_since,
        }
        response = StreamingHttpResponse(
            feed_json_stream(feed_rows(project=project, query=query), header=header),
            content_type="application/json",
        )
        response[GENERATED_AT_HEADER] = iso_utc(generated_at)
        return response

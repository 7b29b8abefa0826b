"""Requirement quality through the API: a project's summary (and, below, its rule settings)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.quality.selectors import project_quality_summary
from documents.quality.serializers import QualitySummaryOutputSerializer
from selko.request_types import AuthenticatedRequest
from selko.tenancy.selectors import project_get_for_user


class ProjectQualitySummaryApi(APIView):
    @extend_schema(responses=QualitySummaryOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """Counts by rule (requirements with a finding of it), the worst sections and documents."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(QualitySummaryOutputSerializer(project_quality_summary(project=project)).data)

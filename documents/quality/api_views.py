"""Requirement quality through the API: a project's summary and its rule settings."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.quality.selectors import project_quality_summary, quality_settings_get
from documents.quality.serializers import (
    QualitySettingsInputSerializer,
    QualitySettingsOutputSerializer,
    QualitySummaryOutputSerializer,
)
from documents.quality.services import quality_settings_update
from selko.request_types import AuthenticatedRequest
from selko.tenancy.selectors import project_get_for_user


class ProjectQualitySummaryApi(APIView):
    @extend_schema(responses=QualitySummaryOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """Counts by rule (requirements with a finding of it), the worst sections and documents."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(QualitySummaryOutputSerializer(project_quality_summary(project=project)).data)


class QualitySettingsApi(APIView):
    @extend_schema(responses=QualitySettingsOutputSerializer, operation_id="quality_settings_retrieve")
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(QualitySettingsOutputSerializer(quality_settings_get(project=project)).data)

    @extend_schema(request=QualitySettingsInputSerializer, responses=QualitySettingsOutputSerializer)
    def put(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """Replace the project's settings (admins); every requirement is rechecked on a worker."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = QualitySettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = quality_settings_update(
            user=request.user,
            project=project,
            disabled_rules=data.validated_data["disabled_rules"],
            extra_vague_terms=data.validated_data["extra_vague_terms"],
        )
        return Response(QualitySettingsOutputSerializer(stored).data)

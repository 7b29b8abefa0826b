"""Exports through the API: a small one at once, a large one as a job to poll and download.

Thin: each view validates its input, calls one service or selector, and serializes the result.
"""

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from models_app.exports.downloads import export_job_download
from models_app.exports.rendering import CONTENT_TYPES, ExportOptions
from models_app.exports.selectors import export_job_get, export_job_list
from models_app.exports.serializers import (
    ExportInputSerializer,
    ExportJobOutputSerializer,
)
from models_app.exports.services import export_request
from selko.api.responses import attachment_response
from selko.request_types import AuthenticatedRequest
from selko.tenancy.selectors import project_get_for_user


class RequirementExportApi(APIView):
    @extend_schema(
        parameters=[ExportInputSerializer],
        responses={
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["reqif"]): OpenApiTypes.BINARY,
            (200, CONTENT_TYPES["reqifz"]): OpenApiTypes.BINARY,
            202: ExportJobOutputSerializer,
        },
    )
    def get(self, request: AuthenticatedRequest, project_slug: str) -> HttpResponse:
        """Requirements with human and predicted labels, as XLSX, CSV or ReqIF (`reqif`, `reqifz`: the
        labels as enumeration attributes). Up to 3,000 rows the file comes back at once; beyond, a job is
        queued (202) and its `download_url` appears when it is ready. `document` limits it to one document."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        params = ExportInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        file_type = params.validated_data["file_type"]
        options = ExportOptions(
            include_informative=params.validated_data["include_informative"],
            document_id=params.validated_data.get("document"),
        )
        outcome = export_request(user=request.user, project=project, file_type=file_type, options=options)
        if outcome.job is not None:
            return Response(ExportJobOutputSerializer(outcome.job).data, status=status.HTTP_202_ACCEPTED)
        return attachment_response(
            outcome.content, content_type=outcome.content_type, filename=outcome.filename
        )


class ExportJobListApi(APIView):
    @extend_schema(responses=ExportJobOutputSerializer(many=True), operation_id="exports_list")
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ExportJobOutputSerializer(export_job_list(project=project), many=True).data)


class ExportJobDetailApi(APIView):
    @extend_schema(responses=ExportJobOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str, export_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ExportJobOutputSerializer(export_job_get(project=project, export_id=export_id)).data)


class ExportJobDownloadApi(APIView):
    @extend_schema(
        responses={
            (200, content_type.split(";")[0]): OpenApiTypes.BINARY for content_type in CONTENT_TYPES.values()
        }
    )
    def get(self, request: AuthenticatedRequest, project_slug: str, export_id: int) -> FileResponse:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return export_job_download(project=project, export_id=export_id)

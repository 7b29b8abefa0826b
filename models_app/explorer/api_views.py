"""The explorer through the API: a filtered page, bulk answers, saved views, the view's export.

Thin: each view validates its input, calls one service or selector, and serializes the result.
"""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from models_app.explorer.selectors import (
    explorer_filters_parse,
    explorer_page,
    explorer_taxonomy,
    saved_view_list,
)
from models_app.explorer.serializers import (
    ExplorerBulkInputSerializer,
    ExplorerBulkOutputSerializer,
    ExplorerExportInputSerializer,
    ExplorerFiltersSerializer,
    ExplorerPageInputSerializer,
    ExplorerPageOutputSerializer,
    SavedViewInputSerializer,
    SavedViewOutputSerializer,
)
from models_app.explorer.services import (
    explorer_bulk_apply,
    explorer_export,
    saved_view_create,
    saved_view_delete,
)
from models_app.exports.rendering import CONTENT_TYPES
from models_app.exports.serializers import ExportJobOutputSerializer
from selko.api.responses import attachment_response
from selko.request_types import AuthenticatedRequest
from selko.tenancy.selectors import project_get_for_user


class ExplorerPageApi(APIView):
    @extend_schema(
        parameters=[ExplorerPageInputSerializer, ExplorerFiltersSerializer],
        responses=ExplorerPageOutputSerializer,
    )
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """Requirements of every document of the project, filtered (label, source, min_score, not_label,
        document, section, obligation, search, rule) and sorted (order, score, quality), by cursor."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        paging = ExplorerPageInputSerializer(data=request.query_params)
        paging.is_valid(raise_exception=True)
        index = explorer_taxonomy(project=project)
        filters = explorer_filters_parse(project=project, data=request.query_params.dict(), index=index)
        page = explorer_page(
            project=project,
            filters=filters,
            index=index,
            cursor=paging.validated_data.get("cursor") or None,
            limit=paging.validated_data["limit"],
        )
        return Response(ExplorerPageOutputSerializer(page).data)


class ExplorerBulkApi(APIView):
    @extend_schema(request=ExplorerBulkInputSerializer, responses=ExplorerBulkOutputSerializer)
    def post(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = ExplorerBulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = explorer_bulk_apply(
            user=request.user,
            project=project,
            requirement_ids=data.validated_data["requirements"],
            label_id=data.validated_data["label"],
            action=data.validated_data["action"],
        )
        return Response(ExplorerBulkOutputSerializer(result).data)


class SavedViewListCreateApi(APIView):
    @extend_schema(responses=SavedViewOutputSerializer(many=True), operation_id="explorer_views_list")
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(SavedViewOutputSerializer(saved_view_list(project=project), many=True).data)

    @extend_schema(request=SavedViewInputSerializer, responses={201: SavedViewOutputSerializer})
    def post(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = SavedViewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        view = saved_view_create(
            user=request.user,
            project=project,
            name=data.validated_data["name"],
            filters=data.validated_data["filters"],
        )
        return Response(SavedViewOutputSerializer(view).data, status=status.HTTP_201_CREATED)


class SavedViewDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, project_slug: str, view_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        saved_view_delete(user=request.user, project=project, view_id=view_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExplorerExportApi(APIView):
    @extend_schema(
        parameters=[ExplorerExportInputSerializer, ExplorerFiltersSerializer],
        responses={
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            202: ExportJobOutputSerializer,
        },
    )
    def get(self, request: AuthenticatedRequest, project_slug: str) -> HttpResponse:
        """The current view as CSV or XLSX (`file_type`), with the full export's columns plus quality.
        A view up to the export limit (3,000 rows by default) comes back at once; a larger one is queued
        as an export job (202) whose `download_url` appears when it is ready."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        params = ExplorerExportInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = explorer_filters_parse(project=project, data=request.query_params.dict())
        outcome = explorer_export(
            user=request.user, project=project, filters=filters, file_type=params.validated_data["file_type"]
        )
        if outcome.job is not None:
            return Response(ExportJobOutputSerializer(outcome.job).data, status=status.HTTP_202_ACCEPTED)
        return attachment_response(
            outcome.content, content_type=outcome.content_type, filename=outcome.filename
        )

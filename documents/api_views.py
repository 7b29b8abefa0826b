"""Documents API: upload, list, retrieve, delete, re-ingest, download; requirements list and retrieve.

Thin views: each resolves the project through the membership-scoped selector (another organization's
project is a 404), validates its input and calls one service or selector.
"""

from django.conf import settings
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.models import Document
from documents.requirement_pages import requirement_cursor_decode, requirement_page_after
from documents.selectors import (
    RequirementsInReadingOrder,
    document_file_open,
    document_get,
    document_list_for_project,
    requirement_get,
    requirement_list,
)
from documents.serializers import (
    DocumentOutputSerializer,
    DocumentUploadInputSerializer,
    DocumentUploadOutputSerializer,
    RequirementListInputSerializer,
    RequirementOutputSerializer,
)
from documents.services.lifecycle import document_delete, document_reingest
from documents.services.upload import document_upload, upload_too_large_error
from selko.api.pagination import DefaultPagination, PageOrCursorPagination
from selko.tenancy.selectors import project_get_for_user

# Multipart framing (boundaries, part headers) on top of the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class DocumentListUploadApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = DefaultPagination

    parser_classes = [MultiPartParser, FormParser]
    throttle_scope = "uploads"

    @extend_schema(responses=DocumentOutputSerializer(many=True), operation_id="documents_list")
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(document_list_for_project(project=project), request, view=self)
        return paginator.get_paginated_response(DocumentOutputSerializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadInputSerializer},
        responses={
            201: DocumentUploadOutputSerializer,
            200: OpenApiResponse(
                DocumentUploadOutputSerializer, description="Identical to the current revision"
            ),
            413: OpenApiResponse(description="Larger than SELKO_MAX_UPLOAD_BYTES; nothing was stored"),
        },
        operation_id="documents_upload",
    )
    def post(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        # Refuse an oversized body from its header, before Django receives and spools all of it.
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > settings.SELKO_MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES:
            raise upload_too_large_error(size=None)
        data = DocumentUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        result = document_upload(user=request.user, project=project, upload=upload, filename=upload.name)
        body = {
            **DocumentOutputSerializer(result.document).data,
            "created_revision": result.created_revision,
        }
        return Response(
            body, status=status.HTTP_201_CREATED if result.created_revision else status.HTTP_200_OK
        )


class DocumentDetailApi(APIView):
    @extend_schema(responses=DocumentOutputSerializer)
    def get(self, request: Request, project_slug: str, document_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(DocumentOutputSerializer(document_get(project=project, document_id=document_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_slug: str, document_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        document_delete(user=request.user, document=document_get(project=project, document_id=document_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentReingestApi(APIView):
    @extend_schema(request=None, responses={202: DocumentOutputSerializer})
    def post(self, request: Request, project_slug: str, document_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        document = document_reingest(
            user=request.user, document=document_get(project=project, document_id=document_id)
        )
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_202_ACCEPTED)


class DocumentFileApi(APIView):
    # The file as it was uploaded, with the content type its name suggests (a PDF, a workbook, …).
    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    def get(self, request: Request, project_slug: str, document_id: int) -> FileResponse:
        project = project_get_for_user(user=request.user, slug=project_slug)
        stored = document_file_open(document=document_get(project=project, document_id=document_id))
        return FileResponse(stored.handle, as_attachment=True, filename=stored.filename)


class RequirementListApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = PageOrCursorPagination

    @extend_schema(
        parameters=[RequirementListInputSerializer],
        responses=RequirementOutputSerializer(many=True),
        operation_id="requirements_list",
    )
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        filters = RequirementListInputSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        requirements = requirement_list(
            project=project,
            document_id=filters.validated_data.get("document"),
            section=filters.validated_data["section"],
            text=filters.validated_data["text"],
            is_requirement=filters.validated_data["is_requirement"],
        )
        paginator = self.pagination_class()
        document_id = filters.validated_data.get("document")
        if (cursor := filters.validated_data.get("cursor")) is not None:
            documents = Document.objects.filter(project=project)
            keyset = requirement_page_after(
                requirements=requirements,
                documents=documents if document_id is None else documents.filter(pk=document_id),
                key=requirement_cursor_decode(cursor),
                size=paginator.get_page_size(request) or DefaultPagination.page_size,
            )
            results = RequirementOutputSerializer(keyset.rows, many=True).data
            return paginator.get_cursor_response(request, results, keyset.next_cursor)
        one_document = document_id is not None
        rows = requirements if one_document else RequirementsInReadingOrder(requirements)
        page = paginator.paginate_queryset(rows, request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(RequirementOutputSerializer(page, many=True).data)


class RequirementDetailApi(APIView):
    @extend_schema(responses=RequirementOutputSerializer)
    def get(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        requirement = requirement_get(project=project, requirement_id=requirement_id)
        return Response(RequirementOutputSerializer(requirement).data)

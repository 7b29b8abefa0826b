"""Corrections API: one view per correction of a segment, each calling one service.

POST /api/v1/projects/<slug>/requirements/<id>/mark/         {"is_requirement": false}
POST /api/v1/projects/<slug>/requirements/<id>/external-id/  {"external_id": "REQ-7"}
POST /api/v1/projects/<slug>/requirements/<id>/merge-next/
POST /api/v1/projects/<slug>/requirements/<id>/split/        {"at": 42}
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.selectors import requirement_get
from documents.serializers import RequirementOutputSerializer
from documents.services.corrections import (
    MAX_ID_LENGTH,
    requirement_external_id_set,
    requirement_mark,
    requirement_merge_next,
    requirement_split,
)
from selko.tenancy.selectors import project_get_for_user

# Far beyond any requirement's text; only there so the number stays a number the database can hold.
MAX_TEXT_OFFSET = 10_000_000


class RequirementMarkInputSerializer(serializers.Serializer):
    is_requirement = serializers.BooleanField()


class RequirementExternalIdInputSerializer(serializers.Serializer):
    external_id = serializers.CharField(allow_blank=True, max_length=MAX_ID_LENGTH, trim_whitespace=True)


class RequirementSplitInputSerializer(serializers.Serializer):
    at = serializers.IntegerField(
        min_value=1, max_value=MAX_TEXT_OFFSET, help_text="Characters of the text kept in the first part."
    )


class RequirementSplitOutputSerializer(serializers.Serializer):
    first = RequirementOutputSerializer()
    second = RequirementOutputSerializer()


class RequirementMarkApi(APIView):
    @extend_schema(request=RequirementMarkInputSerializer, responses=RequirementOutputSerializer)
    def post(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = RequirementMarkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirement = requirement_mark(
            user=request.user,
            requirement=requirement_get(project=project, requirement_id=requirement_id),
            is_requirement=data.validated_data["is_requirement"],
        )
        return Response(RequirementOutputSerializer(requirement).data)


class RequirementExternalIdApi(APIView):
    @extend_schema(request=RequirementExternalIdInputSerializer, responses=RequirementOutputSerializer)
    def post(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = RequirementExternalIdInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirement = requirement_external_id_set(
            user=request.user,
            requirement=requirement_get(project=project, requirement_id=requirement_id),
            external_id=data.validated_data["external_id"],
        )
        return Response(RequirementOutputSerializer(requirement).data)


class RequirementMergeNextApi(APIView):
    @extend_schema(request=None, responses=RequirementOutputSerializer)
    def post(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        requirement = requirement_merge_next(
            user=request.user, requirement=requirement_get(project=project, requirement_id=requirement_id)
        )
        return Response(RequirementOutputSerializer(requirement).data)


class RequirementSplitApi(APIView):
    @extend_schema(request=RequirementSplitInputSerializer, responses=RequirementSplitOutputSerializer)
    def post(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = RequirementSplitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        first, second = requirement_split(
            user=request.user,
            requirement=requirement_get(project=project, requirement_id=requirement_id),
            at=data.validated_data["at"],
        )
        return Response(RequirementSplitOutputSerializer({"first": first, "second": second}).data)

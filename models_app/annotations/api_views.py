"""People's answers through the API: annotations, the labeling queue, one requirement's tags.

Thin: each view validates its input, calls one service or selector, and serializes the result.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.models import Requirement
from models_app.annotations.labeling_queue import QueueFilters, labeling_next, labeling_requirement_get
from models_app.annotations.selectors import (
    annotation_list,
    requirement_answers,
)
from models_app.annotations.serializers import (
    AnnotationBulkInputSerializer,
    AnnotationBulkOutputSerializer,
    AnnotationListFilterSerializer,
    AnnotationOutputSerializer,
    LabelingNextFilterSerializer,
    LabelingNextOutputSerializer,
    RequirementLabelsSetInputSerializer,
    RequirementTagsOutputSerializer,
)
from models_app.annotations.services import AnnotationInput, annotations_upsert, requirement_labels_set
from models_app.registry.selectors import predicted_tags
from selko.api.pagination import DefaultPagination
from selko.request_types import AuthenticatedRequest
from selko.tenancy.models import Project
from selko.tenancy.selectors import project_get_for_user


class AnnotationListApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = DefaultPagination

    @extend_schema(
        parameters=[AnnotationListFilterSerializer],
        responses=AnnotationOutputSerializer(many=True),
        operation_id="annotations_list",
    )
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        filters = AnnotationListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        annotations = annotation_list(
            project=project,
            requirement_id=filters.validated_data.get("requirement"),
            label_id=filters.validated_data.get("label"),
            document_id=filters.validated_data.get("document"),
            value=filters.validated_data.get("value"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(annotations, request, view=self)
        return paginator.get_paginated_response(AnnotationOutputSerializer(page, many=True).data)


class AnnotationBulkUpsertApi(APIView):
    @extend_schema(request=AnnotationBulkInputSerializer, responses=AnnotationBulkOutputSerializer)
    def post(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """Up to 1,000 answers, all or nothing, idempotent. A "yes" also answers the label's ancestors,
        a "no" (or null, clearing) its descendants."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = AnnotationBulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [
            AnnotationInput(item["requirement"], item["label"], item["value"])
            for item in data.validated_data["annotations"]
        ]
        result = annotations_upsert(user=request.user, project=project, items=items)
        return Response(AnnotationBulkOutputSerializer(result).data)


def _requirement_tags(project: Project, requirement: Requirement) -> dict[str, Any]:
    answers = requirement_answers(project=project, requirement_ids=[requirement.pk]).get(requirement.pk, {})
    return {
        "requirement": requirement,
        "positive": sorted(label for label, value in answers.items() if value),
        "negative": sorted(label for label, value in answers.items() if not value),
        "predicted": predicted_tags(project=project, requirement_ids=[requirement.pk]).get(
            requirement.pk, []
        ),
    }


class LabelingNextApi(APIView):
    @extend_schema(parameters=[LabelingNextFilterSerializer], responses=LabelingNextOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """The most useful requirement to label next: uncertainty sampling on the active model's scores,
        or a spread over documents and sections when there is no model yet."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        params = LabelingNextFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        head = labeling_next(
            project=project,
            filters=QueueFilters(
                document_id=values["document"],
                section=values["section"],
                label_id=values["label"],
                unlabeled_only=values["unlabeled"],
            ),
            after_id=values["after"],
        )
        return Response(LabelingNextOutputSerializer(head).data)


class RequirementTagsApi(APIView):
    @extend_schema(responses=RequirementTagsOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str, requirement_id: int) -> Response:
        """A requirement's answers and the active model's scores: what the inline tag editor shows."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        requirement = labeling_requirement_get(project=project, requirement_id=requirement_id)
        return Response(RequirementTagsOutputSerializer(_requirement_tags(project, requirement)).data)

    @extend_schema(request=RequirementLabelsSetInputSerializer, responses=RequirementTagsOutputSerializer)
    def put(self, request: AuthenticatedRequest, project_slug: str, requirement_id: int) -> Response:
        """A complete answer: the given labels (and their ancestors) are "yes", all others "no"."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = RequirementLabelsSetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirement_labels_set(
            user=request.user,
            project=project,
            requirement_id=requirement_id,
            label_ids=data.validated_data["label_ids"],
        )
        requirement = labeling_requirement_get(project=project, requirement_id=requirement_id)
        return Response(RequirementTagsOutputSerializer(_requirement_tags(project, requirement)).data)

"""The model registry's API: versions, promote, roll back, compare, predictions and promotion settings.

Thin: each view validates its input, calls one service or selector, and serializes the result.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from models_app.registry.selectors import (
    model_settings_for_project,
    model_version_compare,
    model_version_get,
    model_version_list,
    predictions_for_requirement,
)
from models_app.registry.serializers import (
    ModelSettingsSerializer,
    ModelVersionCompareInputSerializer,
    ModelVersionOutputSerializer,
    PredictionOutputSerializer,
)
from models_app.registry.services import model_settings_update, model_version_promote, model_version_rollback
from selko.api.pagination import DefaultPagination
from selko.request_types import AuthenticatedRequest
from selko.tenancy.selectors import project_get_for_user


class ModelVersionListApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = DefaultPagination

    @extend_schema(responses=ModelVersionOutputSerializer(many=True), operation_id="model_versions_list")
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(model_version_list(project=project), request, view=self)
        return paginator.get_paginated_response(ModelVersionOutputSerializer(page, many=True).data)


class ModelVersionDetailApi(APIView):
    @extend_schema(responses=ModelVersionOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str, number: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ModelVersionOutputSerializer(model_version_get(project=project, number=number)).data)


class ModelVersionPromoteApi(APIView):
    @extend_schema(request=None, responses=ModelVersionOutputSerializer)
    def post(self, request: AuthenticatedRequest, project_slug: str, number: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        version = model_version_promote(
            actor=request.user, version=model_version_get(project=project, number=number)
        )
        return Response(ModelVersionOutputSerializer(version).data)


class ModelVersionRollbackApi(APIView):
    @extend_schema(request=None, responses=ModelVersionOutputSerializer)
    def post(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(
            ModelVersionOutputSerializer(model_version_rollback(actor=request.user, project=project)).data
        )


class ModelVersionCompareApi(APIView):
    @extend_schema(parameters=[ModelVersionCompareInputSerializer], responses={200: dict})
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        params = ModelVersionCompareInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        first, second = params.validated_data["first"], params.validated_data["second"]
        body = model_version_compare(
            project=project,
            first=model_version_get(project=project, number=first),
            second=model_version_get(project=project, number=second),
        )
        return Response(body)


class RequirementPredictionsApi(APIView):
    @extend_schema(responses=PredictionOutputSerializer(many=True))
    def get(self, request: AuthenticatedRequest, project_slug: str, requirement_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        rows = predictions_for_requirement(project=project, requirement_id=requirement_id)
        return Response(PredictionOutputSerializer(rows, many=True).data)


class ModelSettingsApi(APIView):
    @extend_schema(responses=ModelSettingsSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ModelSettingsSerializer(model_settings_for_project(project=project)).data)

    @extend_schema(request=ModelSettingsSerializer, responses=ModelSettingsSerializer)
    def patch(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        current = model_settings_for_project(project=project)
        data = ModelSettingsSerializer(current, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = model_settings_update(
            actor=request.user,
            project=project,
            promotion_policy=data.validated_data.get("promotion_policy", current.promotion_policy),
            max_label_f1_drop_points=data.validated_data.get(
                "max_label_f1_drop_points", current.max_label_f1_drop_points
            ),
            epochs=data.validated_data.get("epochs", current.epochs),
            encoder=data.validated_data.get("encoder"),
        )
        return Response(ModelSettingsSerializer(updated).data)

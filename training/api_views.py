"""API for retraining and the model registry. Thin: selectors and services do the work."""

from dataclasses import asdict

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from models_app.selectors import (
    model_settings_for_project,
    model_version_compare,
    model_version_get,
    model_version_list,
    predictions_for_requirement,
)
from models_app.services import model_settings_update, model_version_promote, model_version_rollback
from selko.api.pagination import DefaultPagination
from selko.errors import ValidationFailed
from selko.tenancy.selectors import project_get_for_user
from training.plan import TrainingPlan, training_plan
from training.selectors import training_job_get, training_job_list
from training.serializers import (
    ModelSettingsSerializer,
    ModelVersionOutputSerializer,
    PredictionOutputSerializer,
    TrainingJobDetailOutputSerializer,
    TrainingJobOutputSerializer,
    TrainingPlanOutputSerializer,
    TrainingRequestInputSerializer,
    TrainingRequestOutputSerializer,
)
from training.services import training_job_cancel, training_job_request


def _plan_body(plan: TrainingPlan) -> dict[str, object]:
    return {**asdict(plan), "ready": plan.ready, "summary": plan.summary()}


class TrainingPlanApi(APIView):
    @extend_schema(responses=TrainingPlanOutputSerializer)
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(TrainingPlanOutputSerializer(_plan_body(training_plan(project=project))).data)


class TrainingJobListCreateApi(APIView):
    @extend_schema(responses=TrainingJobOutputSerializer(many=True), operation_id="training_jobs_list")
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(training_job_list(project=project), request, view=self)
        return paginator.get_paginated_response(TrainingJobOutputSerializer(page, many=True).data)

    @extend_schema(request=TrainingRequestInputSerializer, responses={201: TrainingRequestOutputSerializer})
    def post(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = TrainingRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = training_job_request(user=request.user, project=project, force=data.validated_data["force"])
        body = {
            "created": outcome.created,
            "job": outcome.job,
            "offered_version": outcome.offered_version,
            "plan": _plan_body(outcome.plan),
        }
        code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
        return Response(TrainingRequestOutputSerializer(body).data, status=code)


class TrainingJobDetailApi(APIView):
    @extend_schema(responses=TrainingJobDetailOutputSerializer)
    def get(self, request: Request, project_slug: str, job_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        job = training_job_get(project=project, job_id=job_id)
        return Response(TrainingJobDetailOutputSerializer(job).data)


class TrainingJobCancelApi(APIView):
    @extend_schema(request=None, responses=TrainingJobOutputSerializer)
    def post(self, request: Request, project_slug: str, job_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        job = training_job_cancel(user=request.user, job=training_job_get(project=project, job_id=job_id))
        return Response(TrainingJobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ModelVersionListApi(APIView):
    @extend_schema(responses=ModelVersionOutputSerializer(many=True), operation_id="model_versions_list")
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(model_version_list(project=project), request, view=self)
        return paginator.get_paginated_response(ModelVersionOutputSerializer(page, many=True).data)


class ModelVersionDetailApi(APIView):
    @extend_schema(responses=ModelVersionOutputSerializer)
    def get(self, request: Request, project_slug: str, number: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ModelVersionOutputSerializer(model_version_get(project=project, number=number)).data)


class ModelVersionPromoteApi(APIView):
    @extend_schema(request=None, responses=ModelVersionOutputSerializer)
    def post(self, request: Request, project_slug: str, number: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        version = model_version_promote(
            actor=request.user, version=model_version_get(project=project, number=number)
        )
        return Response(ModelVersionOutputSerializer(version).data)


class ModelVersionRollbackApi(APIView):
    @extend_schema(request=None, responses=ModelVersionOutputSerializer)
    def post(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(
            ModelVersionOutputSerializer(model_version_rollback(actor=request.user, project=project)).data
        )


class ModelVersionCompareApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("first", int, required=True),
            OpenApiParameter("second", int, required=True),
        ],
        responses={200: dict},
    )
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        try:
            first, second = int(request.query_params["first"]), int(request.query_params["second"])
        except (KeyError, ValueError):
            raise ValidationFailed("Give two version numbers: ?first=1&second=2.") from None
        body = model_version_compare(
            project=project,
            first=model_version_get(project=project, number=first),
            second=model_version_get(project=project, number=second),
        )
        return Response(body)


class RequirementPredictionsApi(APIView):
    @extend_schema(responses=PredictionOutputSerializer(many=True))
    def get(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        rows = predictions_for_requirement(project=project, requirement_id=requirement_id)
        return Response(PredictionOutputSerializer(rows, many=True).data)


class ModelSettingsApi(APIView):
    @extend_schema(responses=ModelSettingsSerializer)
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ModelSettingsSerializer(model_settings_for_project(project=project)).data)

    @extend_schema(request=ModelSettingsSerializer, responses=ModelSettingsSerializer)
    def patch(self, request: Request, project_slug: str) -> Response:
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
        )
        return Response(ModelSettingsSerializer(updated).data)

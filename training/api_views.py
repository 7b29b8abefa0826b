"""API for retraining: the training plan and training jobs. Thin: selectors and services do the work."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from selko.api.pagination import DefaultPagination
from selko.request_types import AuthenticatedRequest
from selko.tenancy.selectors import project_get_for_user
from training.plan import TrainingPlan, training_plan
from training.selectors import training_job_get, training_job_list
from training.serializers import (
    TrainingJobDetailOutputSerializer,
    TrainingJobOutputSerializer,
    TrainingPlanOutputSerializer,
    TrainingRequestInputSerializer,
    TrainingRequestOutputSerializer,
)
from training.services import training_job_cancel, training_job_request


def _plan_body(plan: TrainingPlan) -> dict[str, object]:
    return {
        "ready": plan.ready,
        "summary": plan.summary(),
        "minimum": plan.minimum,
        "example_count": plan.example_count,
        "annotation_count": plan.annotation_count,
        "learnable": plan.learnable,
        "below_minimum": plan.below_minimum,
        "from_examples": plan.from_examples,
        "from_description": plan.from_description,
        "from_name": plan.from_name,
    }


class TrainingPlanApi(APIView):
    @extend_schema(responses=TrainingPlanOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(TrainingPlanOutputSerializer(_plan_body(training_plan(project=project))).data)


class TrainingJobListCreateApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = DefaultPagination

    @extend_schema(responses=TrainingJobOutputSerializer(many=True), operation_id="training_jobs_list")
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(training_job_list(project=project), request, view=self)
        return paginator.get_paginated_response(TrainingJobOutputSerializer(page, many=True).data)

    @extend_schema(request=TrainingRequestInputSerializer, responses={201: TrainingRequestOutputSerializer})
    def post(self, request: AuthenticatedRequest, project_slug: str) -> Response:
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
    def get(self, request: AuthenticatedRequest, project_slug: str, job_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        job = training_job_get(project=project, job_id=job_id)
        return Response(TrainingJobDetailOutputSerializer(job).data)


class TrainingJobCancelApi(APIView):
    @extend_schema(request=None, responses=TrainingJobOutputSerializer)
    def post(self, request: AuthenticatedRequest, project_slug: str, job_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        job = training_job_cancel(user=request.user, job=training_job_get(project=project, job_id=job_id))
        return Response(TrainingJobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)

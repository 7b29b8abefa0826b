"""Projects through the API: list, create, show. Thin: they call selectors and services."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from selko.api.pagination import DefaultPagination
from selko.errors import NotFound
from selko.request_types import AuthenticatedRequest
from selko.tenancy.models import Organization
from selko.tenancy.selectors import organization_list_for_user, project_get_for_user, project_list_for_user
from selko.tenancy.serializers import ProjectCreateInputSerializer, ProjectOutputSerializer
from selko.tenancy.services import project_create


class ProjectListCreateApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = DefaultPagination

    @extend_schema(responses=ProjectOutputSerializer(many=True), operation_id="projects_list")
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(project_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(ProjectOutputSerializer(page, many=True).data)

    @extend_schema(request=ProjectCreateInputSerializer, responses={201: ProjectOutputSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = ProjectCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = None
        if slug := data.validated_data.get("organization"):
            try:
                organization = organization_list_for_user(user=request.user).get(slug=slug)
            except Organization.DoesNotExist:
                raise NotFound(f"No organization '{slug}'.") from None
        project = project_create(
            user=request.user,
            organization=organization,
            name=data.validated_data["name"],
            description=data.validated_data["description"],
        )
        return Response(ProjectOutputSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    @extend_schema(responses=ProjectOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ProjectOutputSerializer(project).data)

"""Foundation API views: projects and the user's API tokens. Thin: they call selectors and services."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from selko.accounts.services import api_token_create, api_token_revoke
from selko.api.pagination import DefaultPagination
from selko.api.serializers import (
    ProjectCreateInputSerializer,
    ProjectOutputSerializer,
    TokenCreatedOutputSerializer,
    TokenCreateInputSerializer,
    TokenOutputSerializer,
)
from selko.errors import NotFound
from selko.tenancy.models import Organization
from selko.tenancy.selectors import organization_list_for_user, project_get_for_user, project_list_for_user
from selko.tenancy.services import project_create


class ProjectListCreateApi(APIView):
    @extend_schema(responses=ProjectOutputSerializer(many=True), operation_id="projects_list")
    def get(self, request: Request) -> Response:
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(project_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(ProjectOutputSerializer(page, many=True).data)

    @extend_schema(request=ProjectCreateInputSerializer, responses={201: ProjectOutputSerializer})
    def post(self, request: Request) -> Response:
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
    def get(self, request: Request, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(ProjectOutputSerializer(project).data)


class TokenListCreateApi(APIView):
    @extend_schema(responses=TokenOutputSerializer(many=True), operation_id="tokens_list")
    def get(self, request: Request) -> Response:
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(request.user.api_tokens.all(), request, view=self)  # type: ignore[union-attr]
        return paginator.get_paginated_response(TokenOutputSerializer(page, many=True).data)

    @extend_schema(request=TokenCreateInputSerializer, responses={201: TokenCreatedOutputSerializer})
    def post(self, request: Request) -> Response:
        data = TokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issued = api_token_create(user=request.user, name=data.validated_data["name"])  # type: ignore[arg-type]
        body = {**TokenOutputSerializer(issued.token).data, "key": issued.key}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        api_token_revoke(user=request.user, token_id=token_id)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)

"""Personal API tokens through the API: list, create, revoke."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from selko.accounts.serializers import (
    TokenCreatedOutputSerializer,
    TokenCreateInputSerializer,
    TokenOutputSerializer,
)
from selko.accounts.services import api_token_create, api_token_revoke
from selko.api.pagination import DefaultPagination
from selko.request_types import AuthenticatedRequest


class TokenListCreateApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = DefaultPagination

    @extend_schema(responses=TokenOutputSerializer(many=True), operation_id="tokens_list")
    def get(self, request: AuthenticatedRequest) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(request.user.api_tokens.all(), request, view=self)
        return paginator.get_paginated_response(TokenOutputSerializer(page, many=True).data)

    @extend_schema(request=TokenCreateInputSerializer, responses={201: TokenCreatedOutputSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        data = TokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issued = api_token_create(user=request.user, name=data.validated_data["name"])
        body = {**TokenOutputSerializer(issued.token).data, "key": issued.key}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, token_id: int) -> Response:
        api_token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

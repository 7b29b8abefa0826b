"""An organization's invitations through the API, for its admins: list the pending ones, invite, revoke.

The link is accepted where it always was, on its page (`/invitations/<token>/`), by the invited person
logged in. A member who is not an admin gets 403; an organization the user does not belong to is a 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from selko.api.pagination import DefaultPagination
from selko.request_types import AuthenticatedRequest
from selko.tenancy.invitation_mail import invitation_send
from selko.tenancy.invitation_serializers import (
    InvitationCreatedOutputSerializer,
    InvitationCreateInputSerializer,
    InvitationOutputSerializer,
)
from selko.tenancy.invitations import invitation_list, invitation_revoke
from selko.tenancy.models import Role
from selko.tenancy.selectors import organization_get_for_user


class InvitationListCreateApi(APIView):
    # Also tells the schema that the list is paginated.
    pagination_class = DefaultPagination
    # Creations per user (selko.api.throttling): listing is not counted.
    throttle_scope = "invitations"

    @extend_schema(responses=InvitationOutputSerializer(many=True), operation_id="invitations_list")
    def get(self, request: AuthenticatedRequest, organization_slug: str) -> Response:
        organization = organization_get_for_user(user=request.user, slug=organization_slug)
        invitations = invitation_list(actor=request.user, organization=organization)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(invitations, request, view=self)
        return paginator.get_paginated_response(InvitationOutputSerializer(page, many=True).data)

    @extend_schema(
        request=InvitationCreateInputSerializer,
        responses={201: InvitationCreatedOutputSerializer},
        operation_id="invitations_create",
    )
    def post(self, request: AuthenticatedRequest, organization_slug: str) -> Response:
        organization = organization_get_for_user(user=request.user, slug=organization_slug)
        data = InvitationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = invitation_send(
            actor=request.user,
            organization=organization,
            recipient=data.validated_data["recipient"],
            role=Role(data.validated_data["role"]),
            absolute_uri=request.build_absolute_uri,
        )
        body = {
            **InvitationOutputSerializer(sent.issued.invitation).data,
            "link": sent.link,
            "email_status": sent.email.status.value,
            "message": sent.email.message,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class InvitationDetailApi(APIView):
    @extend_schema(responses={204: None}, operation_id="invitations_revoke")
    def delete(self, request: AuthenticatedRequest, organization_slug: str, invitation_id: int) -> Response:
        organization = organization_get_for_user(user=request.user, slug=organization_slug)
        invitation_revoke(actor=request.user, organization=organization, invitation_id=invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)

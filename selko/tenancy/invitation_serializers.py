"""Input and output serializers of the invitations API."""

from rest_framework import serializers

from selko.tenancy.invitation_mail import EmailStatus
from selko.tenancy.invitations import MAX_RECIPIENT
from selko.tenancy.models import Invitation, Role


class InvitationOutputSerializer(serializers.ModelSerializer):
    created_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Invitation
        fields = ["id", "recipient", "role", "created_by", "created_at", "expires_at"]


class InvitationCreatedOutputSerializer(InvitationOutputSerializer):
    link = serializers.URLField(
        help_text="Shown once: only its hash is stored. It works once, until it expires."
    )
    email_status = serializers.ChoiceField(
        choices=[status.value for status in EmailStatus],
        help_text="`failed`: the invitation stands, share the link yourself; `not_an_email`: it names a "
        "username, share the link yourself.",
    )
    message = serializers.CharField(help_text="What happened, for people.")

    class Meta(InvitationOutputSerializer.Meta):
        fields = [*InvitationOutputSerializer.Meta.fields, "link", "email_status", "message"]


class InvitationCreateInputSerializer(serializers.Serializer):
    # Checked by the service (an email address, or a username), with the same answer either way.
    recipient = serializers.CharField(max_length=MAX_RECIPIENT, help_text="An email address or a username.")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)

"""Input and output serializers of the foundation endpoints (projects, tokens)."""

from rest_framework import serializers

from selko.accounts.models import ApiToken
from selko.tenancy.models import Project


class ProjectOutputSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Project
        fields = ["slug", "name", "description", "organization", "created_at", "statistics"]


class ProjectCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    organization = serializers.SlugField(required=False, help_text="Needed when you belong to several.")


class TokenOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]


class TokenCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class TokenCreatedOutputSerializer(TokenOutputSerializer):
    key = serializers.CharField(help_text="Shown only once: store it now.")

    class Meta(TokenOutputSerializer.Meta):
        fields = [*TokenOutputSerializer.Meta.fields, "key"]

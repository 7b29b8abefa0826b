"""Input and output serializers of the projects API."""

from rest_framework import serializers

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

"""Input and output serializers of the API tokens API."""

from rest_framework import serializers

from selko.accounts.models import ApiToken


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

"""Input of the feed's API (its output is a stream, described in the view)."""

from rest_framework import serializers


class FeedInputSerializer(serializers.Serializer):
    updated_since = serializers.DateTimeField(
        required=False,
        help_text="Only rows changed at or after this time (ISO 8601, e.g. 2026-03-01T08:00:00Z): pass the "
        "`generated_at` of the previous refresh.",
    )
    include_informative = serializers.BooleanField(
        default=False, help_text="Also the segments that read as informative text (`kind` says which)."
    )

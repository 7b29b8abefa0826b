"""Input and output serializers of the explorer's API: one pair per operation."""

from rest_framework import serializers

from documents.models import Obligation
from documents.quality.rules import RULES
from models_app.annotations.services import MAX_ANNOTATIONS_PER_CALL
from models_app.explorer.models import SavedView
from models_app.explorer.selectors import MAX_PAGE_SIZE, SORTS, SOURCES
from models_app.explorer.services import BULK_ACTIONS
from selko.api.fields import IdField


class ExplorerPageInputSerializer(serializers.Serializer):
    """Paging only: the filters themselves are validated by `explorer_filters_parse`."""

    cursor = serializers.CharField(required=False, allow_blank=True)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=50)


class ExplorerFiltersSerializer(serializers.Serializer):
    """The filters as the schema shows them; `explorer_filters_parse` validates them (saved views too)."""

    label = IdField(required=False, help_text="Tagged with this label …")  # type: ignore[assignment]
    source = serializers.ChoiceField(choices=SOURCES, required=False, help_text="… by whom (default either).")  # type: ignore[assignment]
    min_score = serializers.FloatField(
        required=False, min_value=0, max_value=1, help_text="The model's score at least this."
    )
    not_label = IdField(required=False, help_text="Tagged with this label neither by a person nor the model.")
    document = IdField(required=False)
    section = serializers.CharField(required=False, help_text="A section and its subsections.")
    obligation = serializers.ChoiceField(choices=Obligation.values, required=False)
    search = serializers.CharField(required=False, help_text="In the text or the requirement ID.")
    rule = serializers.ChoiceField(choices=sorted(RULES), required=False, help_text="Has a finding of it.")
    sort = serializers.ChoiceField(choices=SORTS, required=False, help_text="`score` needs a `label`.")


class ExplorerExportInputSerializer(serializers.Serializer):
    file_type = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


class TagOutputSerializer(serializers.Serializer):
    label = serializers.IntegerField(source="label_id")  # type: ignore[assignment]
    path = serializers.CharField()


class HumanTagOutputSerializer(TagOutputSerializer):
    value = serializers.BooleanField()


class ModelTagOutputSerializer(TagOutputSerializer):
    score = serializers.FloatField()
    predicted = serializers.BooleanField()
    model_version = serializers.IntegerField()


class FindingOutputSerializer(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    severity = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    message = serializers.CharField()
    hint = serializers.CharField()


class ExplorerRowOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="requirement.pk")
    external_id = serializers.CharField(source="requirement.external_id")
    text = serializers.CharField(source="requirement.text")
    document = serializers.IntegerField(source="requirement.document_id")
    document_name = serializers.CharField(source="requirement.document.name")
    section = serializers.CharField(source="requirement.section_display")
    order = serializers.IntegerField(source="requirement.order")
    obligation = serializers.CharField(source="requirement.obligation")
    page = serializers.IntegerField(source="requirement.page", allow_null=True)
    sheet = serializers.CharField(source="requirement.sheet")
    row = serializers.IntegerField(source="requirement.row", allow_null=True)
    column = serializers.CharField(source="requirement.column")
    human_tags = HumanTagOutputSerializer(many=True)
    model_tags = ModelTagOutputSerializer(many=True)
    findings = FindingOutputSerializer(many=True)
    quality_score = serializers.IntegerField(allow_null=True)


class ExplorerPageOutputSerializer(serializers.Serializer):
    results = ExplorerRowOutputSerializer(many=True, source="rows")
    next_cursor = serializers.CharField(allow_null=True)
    model_version = serializers.IntegerField(allow_null=True)


class ExplorerBulkInputSerializer(serializers.Serializer):
    requirements = serializers.ListField(
        child=IdField(), allow_empty=False, max_length=MAX_ANNOTATIONS_PER_CALL
    )
    label = IdField()  # type: ignore[assignment]
    action = serializers.ChoiceField(choices=BULK_ACTIONS)


class ExplorerBulkOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    implied = serializers.IntegerField()


class SavedViewInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    filters = serializers.DictField()


class SavedViewOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = SavedView
        fields = ["id", "name", "filters", "created_by", "created_at"]

    def get_created_by(self, view: SavedView) -> str | None:
        return view.created_by.get_username() if view.created_by else None

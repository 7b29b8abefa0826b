"""The label tree's API: list, create, edit, delete labels; import, export and starter trees.

Thin: each view validates its input, calls one service or selector, and serializes the result.
"""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from models_app.annotations.selectors import (
    label_training_readiness,
)
from models_app.taxonomy.file_formats import CONTENT_TYPES as TAXONOMY_CONTENT_TYPES
from models_app.taxonomy.file_formats import EXTENSIONS, FORMATS, taxonomy_dump, taxonomy_parse
from models_app.taxonomy.selectors import taxonomy_get
from models_app.taxonomy.serializers import (
    LabelCreateInputSerializer,
    LabelDeletedOutputSerializer,
    LabelOutputSerializer,
    LabelUpdateInputSerializer,
    TaxonomyImportInputSerializer,
    TaxonomyImportOutputSerializer,
    TaxonomyTemplateOutputSerializer,
)
from models_app.taxonomy.services import LabelChanges, label_create, label_delete, label_edit, taxonomy_import
from models_app.taxonomy.starter_trees import TEMPLATES, taxonomy_template_get
from selko.api.responses import attachment_response
from selko.errors import NotFound, ValidationFailed
from selko.request_types import AuthenticatedRequest
from selko.tenancy.models import Project
from selko.tenancy.selectors import project_get_for_user


def _label_rows(project: Project, only: int | None = None) -> list[dict[str, Any]]:
    index = taxonomy_get(project=project)
    readiness = {r.label_id: r for r in label_training_readiness(project=project, index=index)}
    return [
        {
            "id": row.id,
            "name": row.label.name,
            "parent": row.label.parent_id,
            "path": row.path_display,
            "depth": row.depth,
            "description": row.label.description,
            "examples": list(row.label.examples),
            "color": row.label.color,
            "order": row.label.order,
            "positives": readiness[row.id].positives,
            "negatives": readiness[row.id].negatives,
            "needed": readiness[row.id].needed,
        }
        for row in index.rows()
        if only is None or row.id == only
    ]


class LabelListCreateApi(APIView):
    @extend_schema(responses=LabelOutputSerializer(many=True), operation_id="labels_list")
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """The label tree in depth-first order, with answer counts and training readiness."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        return Response(LabelOutputSerializer(_label_rows(project), many=True).data)

    @extend_schema(request=LabelCreateInputSerializer, responses={201: LabelOutputSerializer})
    def post(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = LabelCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        label = label_create(
            user=request.user,
            project=project,
            name=data.validated_data["name"],
            parent_id=data.validated_data["parent"],
            description=data.validated_data["description"],
            color=data.validated_data["color"],
            examples=data.validated_data["examples"],
        )
        body = LabelOutputSerializer(_label_rows(project, only=label.pk)[0]).data
        return Response(body, status=status.HTTP_201_CREATED)


class LabelDetailApi(APIView):
    @extend_schema(responses=LabelOutputSerializer)
    def get(self, request: AuthenticatedRequest, project_slug: str, label_id: int) -> Response:
        project = project_get_for_user(user=request.user, slug=project_slug)
        rows = _label_rows(project, only=label_id)
        if not rows:
            raise NotFound(f"No label {label_id} in this project.")
        return Response(LabelOutputSerializer(rows[0]).data)

    @extend_schema(request=LabelUpdateInputSerializer, responses=LabelOutputSerializer)
    def patch(self, request: AuthenticatedRequest, project_slug: str, label_id: int) -> Response:
        """Rename, describe, recolour, or move (`parent`, `order`). Moving under a descendant is refused."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = LabelUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        label_edit(
            user=request.user,
            project=project,
            label_id=label_id,
            changes=LabelChanges(
                name=fields.get("name"),
                description=fields.get("description"),
                color=fields.get("color"),
                examples=tuple(fields["examples"]) if "examples" in fields else None,
                move="parent" in fields,
                parent_id=fields.get("parent"),
                order=fields.get("order"),
            ),
        )
        rows = _label_rows(project, only=label_id)
        if not rows:
            raise NotFound(f"No label {label_id} in this project.")
        return Response(LabelOutputSerializer(rows[0]).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "confirm", OpenApiTypes.BOOL, description="Needed when answers would be deleted too."
            )
        ],
        responses={200: LabelDeletedOutputSerializer},
    )
    def delete(self, request: AuthenticatedRequest, project_slug: str, label_id: int) -> Response:
        """Delete a label, its descendants and their answers. Without `confirm=true`, a label in use is
        refused with 409 and the counts of what would go."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        confirmed = request.query_params.get("confirm", "").lower() in ("1", "true", "yes")
        deletion = label_delete(user=request.user, project=project, label_id=label_id, confirmed=confirmed)
        return Response(LabelDeletedOutputSerializer(deletion).data)


# YAML and JSON files hold the same tree; `paths` is text, one label's path a line.
TAXONOMY_FILE = inline_serializer(
    "TaxonomyFile", {"labels": serializers.ListField(child=serializers.DictField())}
)


class TaxonomyExportApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("file_type", str, enum=list(FORMATS), default="yaml")],
        responses={
            (200, TAXONOMY_CONTENT_TYPES["yaml"]): TAXONOMY_FILE,
            (200, TAXONOMY_CONTENT_TYPES["json"]): TAXONOMY_FILE,
            (200, TAXONOMY_CONTENT_TYPES["paths"]): OpenApiTypes.STR,
        },
    )
    def get(self, request: AuthenticatedRequest, project_slug: str) -> HttpResponse:
        project = project_get_for_user(user=request.user, slug=project_slug)
        file_type = request.query_params.get("file_type", "yaml")
        if file_type not in FORMATS:
            raise ValidationFailed(
                f"Unknown taxonomy format '{file_type}'.", details={"file_type": [f"Use one of {FORMATS}."]}
            )
        text = taxonomy_dump(index=taxonomy_get(project=project), file_format=file_type)
        return attachment_response(
            text,
            content_type=f"{TAXONOMY_CONTENT_TYPES[file_type]}; charset=utf-8",
            filename=f"{project.slug}-labels.{EXTENSIONS[file_type]}",
        )


class TaxonomyImportApi(APIView):
    @extend_schema(request=TaxonomyImportInputSerializer, responses=TaxonomyImportOutputSerializer)
    def post(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        """Merge labels into the tree by path: new ones are created, nothing is deleted."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        data = TaxonomyImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        content = data.validated_data.get("content") or ""
        if upload := data.validated_data.get("file"):
            try:
                content = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationFailed(
                    "The file is not UTF-8 text.", details={"file": ["Not UTF-8."]}
                ) from None
        specs = taxonomy_parse(content=content, file_format=data.validated_data["file_type"])
        result = taxonomy_import(user=request.user, project=project, specs=specs)
        return Response(TaxonomyImportOutputSerializer(result).data)


class TaxonomyTemplateListApi(APIView):
    @extend_schema(responses=TaxonomyTemplateOutputSerializer(many=True), operation_id="label_templates_list")
    def get(self, request: AuthenticatedRequest, project_slug: str) -> Response:
        project_get_for_user(user=request.user, slug=project_slug)
        body = [
            {"key": t.key, "title": t.title, "description": t.description, "paths": t.paths()}
            for t in TEMPLATES.values()
        ]
        return Response(TaxonomyTemplateOutputSerializer(body, many=True).data)


class TaxonomyTemplateApplyApi(APIView):
    @extend_schema(request=None, responses=TaxonomyImportOutputSerializer)
    def post(self, request: AuthenticatedRequest, project_slug: str, template_key: str) -> Response:
        """Copy a starter taxonomy into the project (merged like an import)."""
        project = project_get_for_user(user=request.user, slug=project_slug)
        template = taxonomy_template_get(key=template_key)
        result = taxonomy_import(user=request.user, project=project, specs=template.labels)
        return Response(TaxonomyImportOutputSerializer(result).data)

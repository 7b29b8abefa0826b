"""Thin API views: resolve the project for the user, validate input, call one service or selector."""

from typing import Any

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.models import Requirement
from models_app.annotation_selectors import (
    annotation_list,
    label_training_readiness,
    predicted_tags,
    requirement_answers,
)
from models_app.annotation_services import AnnotationInput, annotations_upsert, requirement_labels_set
from models_app.api.serializers import (
    AnnotationBulkInputSerializer,
    AnnotationBulkOutputSerializer,
    AnnotationListFilterSerializer,
    AnnotationOutputSerializer,
    ExportInputSerializer,
    ExportJobOutputSerializer,
    LabelCreateInputSerializer,
    LabelDeletedOutputSerializer,
    LabelingNextFilterSerializer,
    LabelingNextOutputSerializer,
    LabelOutputSerializer,
    LabelUpdateInputSerializer,
    RequirementLabelsSetInputSerializer,
    RequirementTagsOutputSerializer,
    TaxonomyImportInputSerializer,
    TaxonomyImportOutputSerializer,
    TaxonomyTemplateOutputSerializer,
)
from models_app.export import (
    CONTENT_TYPES,
    ExportOptions,
    export_filename,
    export_job_create,
    export_job_get,
    export_job_list,
    export_job_open,
    export_needs_worker,
    export_now,
)
from models_app.labeling_queue import QueueFilters, labeling_next, labeling_requirement_get
from models_app.taxonomy_io import CONTENT_TYPES as TAXONOMY_CONTENT_TYPES
from models_app.taxonomy_io import EXTENSIONS, FORMATS, taxonomy_dump, taxonomy_parse
from models_app.taxonomy_selectors import label_index
from models_app.taxonomy_services import (
    label_create,
    label_delete,
    label_move,
    label_update,
    taxonomy_import,
)
from models_app.taxonomy_templates import TEMPLATES, taxonomy_template_get
from selko.api.pagination import DefaultPagination
from selko.errors import NotFound, ValidationFailed
from selko.tenancy.models import Project
from selko.tenancy.selectors import project_get_for_user


def _project(request: Request, project_slug: str) -> Project:
    return project_get_for_user(user=request.user, slug=project_slug)


def _label_rows(project: Project, only: int | None = None) -> list[dict[str, Any]]:
    index = label_index(project=project)
    readiness = {r.label_id: r for r in label_training_readiness(project=project, index=index)}
    return [
        {
            "id": row.id,
            "name": row.label.name,
            "parent": row.label.parent_id,
            "path": row.path_display,
            "depth": row.depth,
            "description": row.label.description,
            "color": row.label.color,
            "order": row.label.order,
            "positives": readiness[row.id].positives,
            "negatives": readiness[row.id].negatives,
            "needed": readiness[row.id].needed,
        }
        for row in index.rows()
        if only is None or row.id == only
    ]


def _attachment(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class LabelListCreateApi(APIView):
    @extend_schema(responses=LabelOutputSerializer(many=True), operation_id="labels_list")
    def get(self, request: Request, project_slug: str) -> Response:
        """The label tree in depth-first order, with answer counts and training readiness."""
        project = _project(request, project_slug)
        return Response(LabelOutputSerializer(_label_rows(project), many=True).data)

    @extend_schema(request=LabelCreateInputSerializer, responses={201: LabelOutputSerializer})
    def post(self, request: Request, project_slug: str) -> Response:
        project = _project(request, project_slug)
        data = LabelCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        label = label_create(
            user=request.user,  # type: ignore[arg-type]
            project=project,
            name=data.validated_data["name"],
            parent_id=data.validated_data["parent"],
            description=data.validated_data["description"],
            color=data.validated_data["color"],
        )
        body = LabelOutputSerializer(_label_rows(project, only=label.pk)[0]).data
        return Response(body, status=status.HTTP_201_CREATED)


class LabelDetailApi(APIView):
    @extend_schema(responses=LabelOutputSerializer)
    def get(self, request: Request, project_slug: str, label_id: int) -> Response:
        project = _project(request, project_slug)
        rows = _label_rows(project, only=label_id)
        if not rows:
            raise NotFound(f"No label {label_id} in this project.")
        return Response(LabelOutputSerializer(rows[0]).data)

    @extend_schema(request=LabelUpdateInputSerializer, responses=LabelOutputSerializer)
    def patch(self, request: Request, project_slug: str, label_id: int) -> Response:
        """Rename, describe, recolour, or move (`parent`, `order`). Moving under a descendant is refused."""
        project = _project(request, project_slug)
        data = LabelUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        user = request.user
        if {"name", "description", "color"} & set(fields):
            label_update(
                user=user,  # type: ignore[arg-type]
                project=project,
                label_id=label_id,
                name=fields.get("name"),
                description=fields.get("description"),
                color=fields.get("color"),
            )
        if "parent" in fields or "order" in fields:
            current = _label_rows(project, only=label_id)
            if not current:
                raise NotFound(f"No label {label_id} in this project.")
            label_move(
                user=user,  # type: ignore[arg-type]
                project=project,
                label_id=label_id,
                parent_id=fields["parent"] if "parent" in fields else current[0]["parent"],
                order=fields.get("order"),
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
    def delete(self, request: Request, project_slug: str, label_id: int) -> Response:
        """Delete a label, its descendants and their answers. Without `confirm=true`, a label in use is
        refused with 409 and the counts of what would go."""
        project = _project(request, project_slug)
        confirmed = request.query_params.get("confirm", "").lower() in ("1", "true", "yes")
        deletion = label_delete(user=request.user, project=project, label_id=label_id, confirmed=confirmed)  # type: ignore[arg-type]
        return Response(LabelDeletedOutputSerializer(deletion).data)


class TaxonomyExportApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("file_type", str, enum=list(FORMATS), default="yaml")],
        responses={(200, "application/yaml"): OpenApiTypes.STR},
    )
    def get(self, request: Request, project_slug: str) -> HttpResponse:
        project = _project(request, project_slug)
        file_type = request.query_params.get("file_type", "yaml")
        if file_type not in FORMATS:
            raise ValidationFailed(
                f"Unknown taxonomy format '{file_type}'.", details={"file_type": [f"Use one of {FORMATS}."]}
            )
        text = taxonomy_dump(index=label_index(project=project), file_format=file_type)  # type: ignore[arg-type]
        return _attachment(
            text,
            content_type=f"{TAXONOMY_CONTENT_TYPES[file_type]}; charset=utf-8",
            filename=f"{project.slug}-labels.{EXTENSIONS[file_type]}",
        )


class TaxonomyImportApi(APIView):
    @extend_schema(request=TaxonomyImportInputSerializer, responses=TaxonomyImportOutputSerializer)
    def post(self, request: Request, project_slug: str) -> Response:
        """Merge labels into the tree by path: new ones are created, nothing is deleted."""
        project = _project(request, project_slug)
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
        result = taxonomy_import(user=request.user, project=project, specs=specs)  # type: ignore[arg-type]
        return Response(TaxonomyImportOutputSerializer(result).data)


class TaxonomyTemplateListApi(APIView):
    @extend_schema(responses=TaxonomyTemplateOutputSerializer(many=True), operation_id="label_templates_list")
    def get(self, request: Request, project_slug: str) -> Response:
        _project(request, project_slug)
        body = [
            {"key": t.key, "title": t.title, "description": t.description, "paths": t.paths()}
            for t in TEMPLATES.values()
        ]
        return Response(TaxonomyTemplateOutputSerializer(body, many=True).data)


class TaxonomyTemplateApplyApi(APIView):
    @extend_schema(request=None, responses=TaxonomyImportOutputSerializer)
    def post(self, request: Request, project_slug: str, template_key: str) -> Response:
        """Copy a starter taxonomy into the project (merged like an import)."""
        project = _project(request, project_slug)
        template = taxonomy_template_get(key=template_key)
        result = taxonomy_import(user=request.user, project=project, specs=template.labels)  # type: ignore[arg-type]
        return Response(TaxonomyImportOutputSerializer(result).data)


class AnnotationListApi(APIView):
    @extend_schema(
        parameters=[AnnotationListFilterSerializer],
        responses=AnnotationOutputSerializer(many=True),
        operation_id="annotations_list",
    )
    def get(self, request: Request, project_slug: str) -> Response:
        project = _project(request, project_slug)
        filters = AnnotationListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        annotations = annotation_list(
            project=project,
            requirement_id=filters.validated_data.get("requirement"),
            label_id=filters.validated_data.get("label"),
            document_id=filters.validated_data.get("document"),
            value=filters.validated_data.get("value"),
        )
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(annotations, request, view=self)
        return paginator.get_paginated_response(AnnotationOutputSerializer(page, many=True).data)


class AnnotationBulkUpsertApi(APIView):
    @extend_schema(request=AnnotationBulkInputSerializer, responses=AnnotationBulkOutputSerializer)
    def post(self, request: Request, project_slug: str) -> Response:
        """Up to 1,000 answers, all or nothing, idempotent. A "yes" also answers the label's ancestors,
        a "no" (or null, clearing) its descendants."""
        project = _project(request, project_slug)
        data = AnnotationBulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [
            AnnotationInput(item["requirement"], item["label"], item["value"])
            for item in data.validated_data["annotations"]
        ]
        result = annotations_upsert(user=request.user, project=project, items=items)  # type: ignore[arg-type]
        return Response(AnnotationBulkOutputSerializer(result).data)


def _requirement_tags(project: Project, requirement: Requirement) -> dict[str, Any]:
    answers = requirement_answers(project=project, requirement_ids=[requirement.pk]).get(requirement.pk, {})
    return {
        "requirement": requirement,
        "positive": sorted(label for label, value in answers.items() if value),
        "negative": sorted(label for label, value in answers.items() if not value),
        "predicted": predicted_tags(project=project, requirement_ids=[requirement.pk]).get(
            requirement.pk, []
        ),
    }


class LabelingNextApi(APIView):
    @extend_schema(parameters=[LabelingNextFilterSerializer], responses=LabelingNextOutputSerializer)
    def get(self, request: Request, project_slug: str) -> Response:
        """The most useful requirement to label next: uncertainty sampling on the active model's scores,
        or a spread over documents and sections when there is no model yet."""
        project = _project(request, project_slug)
        params = LabelingNextFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = params.validated_data
        head = labeling_next(
            project=project,
            filters=QueueFilters(
                document_id=values["document"],
                section=values["section"],
                label_id=values["label"],
                unlabeled_only=values["unlabeled"],
            ),
            after_id=values["after"],
        )
        return Response(LabelingNextOutputSerializer(head).data)


class RequirementTagsApi(APIView):
    @extend_schema(responses=RequirementTagsOutputSerializer)
    def get(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        """A requirement's answers and the active model's scores: what the inline tag editor shows."""
        project = _project(request, project_slug)
        requirement = labeling_requirement_get(project=project, requirement_id=requirement_id)
        return Response(RequirementTagsOutputSerializer(_requirement_tags(project, requirement)).data)

    @extend_schema(request=RequirementLabelsSetInputSerializer, responses=RequirementTagsOutputSerializer)
    def put(self, request: Request, project_slug: str, requirement_id: int) -> Response:
        """A complete answer: the given labels (and their ancestors) are "yes", all others "no"."""
        project = _project(request, project_slug)
        data = RequirementLabelsSetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requirement_labels_set(
            user=request.user,  # type: ignore[arg-type]
            project=project,
            requirement_id=requirement_id,
            label_ids=data.validated_data["label_ids"],
        )
        requirement = labeling_requirement_get(project=project, requirement_id=requirement_id)
        return Response(RequirementTagsOutputSerializer(_requirement_tags(project, requirement)).data)


class RequirementExportApi(APIView):
    @extend_schema(
        parameters=[ExportInputSerializer],
        responses={
            (200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
            202: ExportJobOutputSerializer,
        },
    )
    def get(self, request: Request, project_slug: str) -> HttpResponse:
        """Requirements with human and predicted labels. Up to 3,000 rows the file comes back at once;
        beyond, a job is queued (202) and its `download_url` appears when it is ready."""
        project = _project(request, project_slug)
        params = ExportInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        file_type = params.validated_data["file_type"]
        options = ExportOptions(include_informative=params.validated_data["include_informative"])
        if export_needs_worker(project=project, options=options):
            job = export_job_create(user=request.user, project=project, file_type=file_type, options=options)  # type: ignore[arg-type]
            return Response(ExportJobOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        content = export_now(user=request.user, project=project, file_type=file_type, options=options)  # type: ignore[arg-type]
        return _attachment(
            content,
            content_type=CONTENT_TYPES[file_type],
            filename=export_filename(project=project, file_type=file_type),
        )


class ExportJobListApi(APIView):
    @extend_schema(responses=ExportJobOutputSerializer(many=True), operation_id="exports_list")
    def get(self, request: Request, project_slug: str) -> Response:
        project = _project(request, project_slug)
        return Response(ExportJobOutputSerializer(export_job_list(project=project), many=True).data)


class ExportJobDetailApi(APIView):
    @extend_schema(responses=ExportJobOutputSerializer)
    def get(self, request: Request, project_slug: str, export_id: int) -> Response:
        project = _project(request, project_slug)
        return Response(ExportJobOutputSerializer(export_job_get(project=project, export_id=export_id)).data)


class ExportJobDownloadApi(APIView):
    @extend_schema(responses={(200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY})
    def get(self, request: Request, project_slug: str, export_id: int) -> FileResponse:
        project = _project(request, project_slug)
        job, stream = export_job_open(project=project, export_id=export_id)
        # FileResponse streams the stored file in blocks and closes it when done.
        return FileResponse(
            stream,
            as_attachment=True,
            filename=f"{project.slug}-requirements-{job.created_at:%Y%m%d-%H%M}.{job.file_type}",
            content_type=CONTENT_TYPES[job.file_type],
        )

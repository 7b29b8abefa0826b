"""Requirements with their human and predicted labels, as CSV or XLSX.

One row per requirement; after the document, section, ID and provenance columns, each top-level label
gets three columns: the human answer, the active model's prediction and the model version that made it;
then the requirement's quality score and its findings ("vague_term: “fast”; placeholder: “TBD”"), and last
the quality figure of the model version that made the row's predictions ("≈ 0.55 ± 0.06, 5-fold"), the
one the API and the Models page show.
An answer is the paths of the deepest labels chosen below the top-level label ("Power supply > Mains;
EMC"), "yes" when only the top-level label itself applies, "no" for an explicit negative, and empty when
nobody answered. Small exports are written in the request; larger ones by a worker (`tasks`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from documents.models import QualityFinding, Requirement, RequirementQuality
from models_app.annotations.models import Annotation
from models_app.registry.models import Prediction
from models_app.registry.selectors import model_version_active
from models_app.taxonomy.selectors import PATH_SEPARATOR, Taxonomy, taxonomy_get
from selko.errors import ValidationFailed
from selko.tenancy.models import Project

FileType = Literal["csv", "xlsx", "reqif", "reqifz"]
FILE_TYPES: tuple[FileType, ...] = ("csv", "xlsx", "reqif", "reqifz")
# Written by models_app/exports/reqif.py: a tree of objects rather than rows.
REQIF_FILE_TYPES: tuple[FileType, ...] = ("reqif", "reqifz")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "reqif": "application/xml",
    "reqifz": "application/zip",
}
BATCH_SIZE = 1000
XLSX_CELL_MAX_CHARS = 32767
FIXED_COLUMNS = [
    "Document",
    "Section",
    "Requirement ID",
    "Order",
    "Text",
    "Kind",
    "Page",
    "Sheet",
    "Row",
    "Column",
]
# Informative text is not checked: its score is empty.
QUALITY_COLUMNS = ["Quality score", "Quality findings"]
# A column rather than comment lines above the header: a CSV stays one plain table that Excel, pandas and
# Power Query read without options. Filled where the row carries the model's predictions.
MODEL_QUALITY_COLUMN = "Model quality (macro-F1)"


@dataclass(frozen=True)
class ExportOptions:
    include_informative: bool = False
    # One document of the project instead of all of them.
    document_id: int | None = None
    # The explorer's current view (its filter as ExplorerFilters.as_dict() gives it) instead of the
    # project's requirements; kept as plain data so a job row can store it and a worker re-check it.
    explorer_filters: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "include_informative": self.include_informative,
            "document_id": self.document_id,
        }
        if self.explorer_filters is not None:
            data["explorer_filters"] = self.explorer_filters
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExportOptions:
        document_id = data.get("document_id")
        explorer_filters = data.get("explorer_filters")
        if explorer_filters is not None and not isinstance(explorer_filters, dict):
            # Never silently widen a view's export to the whole project.
            raise ValidationFailed("The export's explorer filter is not an object.")
        return cls(
            include_informative=bool(data.get("include_informative", False)),
            document_id=int(document_id) if document_id is not None else None,
            explorer_filters=explorer_filters,
        )


def export_project_requirements(*, project: Project, options: ExportOptions) -> QuerySet[Requirement]:
    """Every row of the export's scope (the project, or one of its documents), informative or not."""
    requirements = Requirement.objects.filter(project=project)
    if options.document_id is not None:
        requirements = requirements.filter(document_id=options.document_id)
    return requirements


def export_requirements(*, project: Project, options: ExportOptions) -> QuerySet[Requirement]:
    requirements = export_project_requirements(project=project, options=options)
    if not options.include_informative:
        requirements = requirements.filter(is_requirement=True)
    return requirements


def _answer_text(index: Taxonomy, root_id: int, positives: set[int], negative: bool) -> str:
    chosen = [label_id for label_id in positives if index.root_id(label_id) == root_id]
    if chosen:
        chosen_set = set(chosen)
        # Only the deepest chosen labels: their ancestors are implied by the path.
        deepest = [
            label_id
            for label_id in chosen
            if label_id != root_id and not chosen_set.intersection(index.descendant_ids(label_id))
        ]
        if not deepest:
            return "yes"
        paths = sorted(PATH_SEPARATOR.join(index.path(label_id)[1:]) for label_id in deepest)
        return "; ".join(paths)
    return "no" if negative else ""


def export_rows(
    *, project: Project, options: ExportOptions, requirements: QuerySet[Requirement] | None = None
) -> Iterator[list[Any]]:
    """The header, then one row per requirement in document order, read in bounded batches.
    `requirements` narrows the rows (the explorer's current view); by default, all of the project's."""
    index = taxonomy_get(project=project)
    roots = index.roots()
    version = model_version_active(project=project)
    header = list(FIXED_COLUMNS)
    for root in roots:
        header += [f"{root.name} (human)", f"{root.name} (predicted)", f"{root.name} (model version)"]
    yield [*header, *QUALITY_COLUMNS, MODEL_QUALITY_COLUMN]
    model_quality = str(version.quality.get("summary", "")) if version else ""

    if requirements is None:
        requirements = export_requirements(project=project, options=options)
    requirements = requirements.select_related("document").order_by(
        "document__name", "document_id", "order", "pk"
    )
    batch: list[Requirement] = []
    for requirement in requirements.iterator(chunk_size=BATCH_SIZE):
        batch.append(requirement)
        if len(batch) == BATCH_SIZE:
            yield from _rows_with_quality(
                project, index, version.pk if version else None, batch, model_quality
            )
            batch = []
    if batch:
        yield from _rows_with_quality(project, index, version.pk if version else None, batch, model_quality)


def _rows_with_quality(
    project: Project, index: Taxonomy, version_id: int | None, batch: list[Requirement], model_quality: str
) -> Iterator[list[Any]]:
    # After the label columns, so files read by column position before keep reading the same cells.
    ids = [requirement.pk for requirement in batch]
    scores = dict(
        RequirementQuality.objects.filter(requirement_id__in=ids).values_list("requirement", "score")
    )
    findings: dict[int, list[str]] = defaultdict(list)
    texts = {requirement.pk: requirement.text for requirement in batch}
    for requirement_id, rule, start, end in QualityFinding.objects.filter(requirement_id__in=ids).values_list(
        "requirement_id", "rule", "start", "end"
    ):
        findings[requirement_id].append(f"{rule}: “{texts[requirement_id][start:end]}”")
    for requirement, row in zip(batch, export_batch_rows(project, index, version_id, batch), strict=True):
        # Every label's "(model version)" cell is filled exactly when the version scored the row.
        tagged = any(row[len(FIXED_COLUMNS) + 2 :: 3])
        yield [
            *row,
            scores.get(requirement.pk),
            "; ".join(findings[requirement.pk]),
            model_quality if tagged else "",
        ]


def export_batch_rows(
    project: Project, index: Taxonomy, version_id: int | None, batch: list[Requirement]
) -> Iterator[list[Any]]:
    ids = [requirement.pk for requirement in batch]
    positives: dict[int, set[int]] = defaultdict(set)
    negatives: dict[int, set[int]] = defaultdict(set)
    for requirement_id, label_id, value in Annotation.objects.filter(
        project=project, requirement_id__in=ids
    ).values_list("requirement_id", "label_id", "value"):
        (positives if value else negatives)[requirement_id].add(label_id)
    predicted: dict[int, set[int]] = defaultdict(set)
    scored: set[int] = set()
    version_number = ""
    if version_id is not None:
        rows = Prediction.objects.filter(project=project, model_version_id=version_id, requirement_id__in=ids)
        for requirement_id, label_id, is_predicted, number in rows.values_list(
            "requirement_id", "label_id", "predicted", "model_version__number"
        ):
            scored.add(requirement_id)
            version_number = f"v{number}"
            if is_predicted and label_id in index:
                predicted[requirement_id].add(label_id)
    for requirement in batch:
        row: list[Any] = [
            requirement.document.name,
            requirement.section_display,
            requirement.external_id,
            requirement.order,
            requirement.text,
            "requirement" if requirement.is_requirement else "informative",
            requirement.page,
            requirement.sheet,
            requirement.row,
            requirement.column,
        ]
        for root in index.roots():
            human = _answer_text(
                index, root.pk, positives[requirement.pk], root.pk in negatives[requirement.pk]
            )
            if requirement.pk in scored:
                machine = _answer_text(index, root.pk, predicted[requirement.pk], negative=True)
                row += [human, machine, version_number]
            else:
                row += [human, "", ""]
        yield row


def csv_safe(value: Any) -> Any:
    # A spreadsheet opening the CSV would run a cell starting like a formula (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


MODEL_COLUMNS = ["Model version", "Kind", "Encoder", "Macro-F1", "Uncertainty (±)", "Quality", "How measured"]


def model_about_rows(*, project: Project) -> list[list[Any]]:
    """The active version and its quality figure exactly as the API and the Models page give them."""
    version = model_version_active(project=project)
    if version is None:
        return [MODEL_COLUMNS, ["none yet", "", "", None, None, "", ""]]
    quality = version.quality
    return [
        MODEL_COLUMNS,
        [
            f"v{version.number}",
            version.get_kind_display(),
            version.lineage.get("base_model", ""),
            quality.get("macro_f1"),
            quality.get("uncertainty"),
            quality.get("summary", ""),
            quality.get("how", ""),
        ],
    ]


def export_write(
    *,
    rows: Iterator[list[Any]],
    file_type: FileType,
    stream: IO[bytes],
    about_model: list[list[Any]] | None = None,
) -> int:
    """Write the rows to a binary stream; returns how many data rows were written. A workbook also gets
    a "Model" sheet from `about_model` (a CSV file holds one table: the requirements)."""
    count = -1  # the header is not a data row
    if file_type == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # the BOM tells Excel it is UTF-8
        writer = csv.writer(text)
        for row in rows:
            writer.writerow([csv_safe(value) for value in row])
            count += 1
        text.flush()
        text.detach()
        return count
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Requirements")
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_MAX_CHARS])
                cell.data_type = "s"  # text that starts with "=" stays text, never a formula
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    if about_model:
        about = workbook.create_sheet("Model")
        for line in about_model:
            about.append([csv_safe(value) for value in line])
    workbook.save(stream)
    return count


def export_filename(*, project: Project, file_type: FileType) -> str:
    return f"{project.slug}-requirements-{timezone.now():%Y%m%d-%H%M}.{file_type}"


def export_file_type_checked(file_type: str) -> FileType:
    if file_type not in FILE_TYPES:
        raise ValidationFailed(
            f"Unknown export type '{file_type}'.",
            details={"file_type": [f"Use one of {', '.join(FILE_TYPES)}."]},
        )
    return file_type  # type: ignore[return-value]

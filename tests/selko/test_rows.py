"""rows_insert stores what bulk_create would: defaults, JSON (None as SQL NULL), timestamps."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from documents.models import Document, Requirement
from selko.rows import rows_insert
from selko.tenancy.models import Project

# Read back everything a reader of the row sees, bar the id and the timestamps.
COLUMNS = [
    field.attname
    for field in Requirement._meta.concrete_fields
    if field.attname not in ("id", "created_at", "updated_at")
]


def test_rows_read_back_as_the_same_rows_bulk_create_writes(project: Project) -> None:
    document = Document.objects.create(project=project, name="spec")
    rows = [
        {
            "project_id": project.pk,
            "document_id": document.pk,
            "order": 1,
            "text": "The door shall close.",
            "section_path": ["3 Doors"],
            "bbox": [1.0, 2.0, 3.0, 4.0],
            "attributes": {"table": {"row": 2}},
        },
        # Only what has no default: the rest is filled as the model declares it.
        {"project_id": project.pk, "document_id": document.pk, "order": 2, "text": "Informative text."},
    ]
    before = timezone.now()

    assert rows_insert(model=Requirement, rows=rows) == 2

    Requirement.objects.bulk_create([Requirement(**row) for row in rows])
    written = list(Requirement.objects.order_by("pk").values(*COLUMNS))
    assert written[:2] == written[2:]
    assert written[1]["bbox"] is None and written[1]["section_path"] == [] and written[1]["attributes"] == {}
    assert Requirement.objects.filter(Q(bbox__isnull=True)).count() == 2  # SQL NULL, not JSON null
    stamped = Requirement.objects.order_by("pk")[0]
    assert before <= stamped.created_at == stamped.updated_at <= timezone.now()


def test_no_rows_write_nothing(project: Project) -> None:
    assert rows_insert(model=Requirement, rows=[]) == 0
    assert not Requirement.objects.exists()

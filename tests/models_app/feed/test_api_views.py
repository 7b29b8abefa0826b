"""The BI feed: fixed columns in CSV and JSON, incremental refresh, and who may read it with a token."""

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from django.http import StreamingHttpResponse
from rest_framework.test import APIClient

from documents.models import DocumentRevision, Obligation
from documents.quality.models import RequirementQuality
from documents.services.corrections import requirement_mark
from models_app.annotations.models import Annotation
from models_app.annotations.services import AnnotationInput, annotations_upsert
from models_app.feed.rendering import iso_utc
from models_app.feed.selectors import FEED_COLUMNS
from models_app.registry.services import model_version_promote
from selko.accounts.services import api_token_create
from selko.tenancy.models import Project, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)

HEADER = [
    "requirement_id", "document_id", "document", "section", "external_id", "order", "kind", "obligation",
    "text", "page", "sheet", "row", "column", "quality_score", "labeled", "human_tags", "predicted_tags",
    "predicted_scores", "model_version", "updated_at",
]  # fmt: skip


def _tagged_project(project: Project) -> dict[str, Any]:
    electrical = LabelFactory(project=project, name="Electrical", order=0)
    power = LabelFactory(project=project, name="Power supply", parent=electrical, order=0)
    emc = LabelFactory(project=project, name="EMC", parent=electrical, order=1)
    quality = LabelFactory(project=project, name="Quality", order=1)
    srs = DocumentFactory(project=project, name="SRS.pdf")
    first = RequirementFactory(
        document=srs,
        order=0,
        external_id="REQ-1",
        section_path=["3 Power", "3.1 Mains"],
        text="=SUM(A1) shall not run",
        obligation=Obligation.MANDATORY,
        page=12,
    )
    second = RequirementFactory(document=srs, order=1, external_id="REQ-2", obligation=Obligation.OPTIONAL)
    note = RequirementFactory(document=srs, order=2, is_requirement=False, text="Informative note.")
    RequirementQuality.objects.create(requirement=first, project=project, score=85, rules_version=1)
    for label, value in ((electrical, True), (power, True), (emc, True), (quality, False)):
        Annotation.objects.create(project=project, requirement=first, label=label, value=value)
    Annotation.objects.create(project=project, requirement=second, label=quality, value=False)
    ModelVersionFactory(project=project, number=2, is_active=False)
    version = ModelVersionFactory(project=project, number=3)
    for label, score in ((electrical, 0.9), (power, 0.87654), (emc, 0.2), (quality, 0.7)):
        PredictionFactory(model_version=version, requirement=first, label=label, score=score)
    return {"first": first, "second": second, "note": note, "emc": emc, "srs": srs}


def _token_client(user: object) -> APIClient:
    client = APIClient()
    key = api_token_create(user=user, name="Power BI").key  # type: ignore[arg-type]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def _body(response: Any) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def _csv_rows(response: Any) -> list[list[str]]:
    text = _body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _json(response: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_body(response))
    return data


def test_the_csv_feed_has_fixed_columns_and_one_row_per_requirement(
    project: Project, member_of: Callable[..., object]
) -> None:
    # Given a project with answers, predictions of the active version and a quality score
    given = _tagged_project(project)
    client = _token_client(member_of(project, Role.VIEWER))

    # When a viewer's token reads the CSV feed
    response = client.get(f"/api/v1/projects/{project.slug}/feed/requirements.csv")

    # Then the header is the fixed one and each requirement is a row; informative text is left out
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert list(FEED_COLUMNS) == HEADER
    assert rows[0] == HEADER
    first, second = given["first"], given["second"]
    first.refresh_from_db()
    assert rows[1] == [
        str(first.pk), str(given["srs"].pk), "SRS.pdf", "3 Power > 3.1 Mains", "REQ-1", "0", "requirement",
        "mandatory", "'=SUM(A1) shall not run", "12", "", "", "", "85", "true",
        "Electrical > EMC; Electrical > Power supply", "Electrical > Power supply; Quality",
        "Electrical > Power supply=0.8765; Quality=0.7", "v3", iso_utc(first.updated_at),
    ]  # fmt: skip
    assert rows[2][:9] == [
        str(second.pk), str(given["srs"].pk), "SRS.pdf", "1 General", "REQ-2", "1", "requirement", "optional",
        second.text,
    ]  # fmt: skip
    # answered (an explicit "no"), never scored by the active version, no quality score yet
    assert rows[2][13:19] == ["", "true", "", "", "", ""]
    assert len(rows) == 3


def test_the_json_feed_has_the_same_columns_typed(project: Project, member_of: Callable[..., object]) -> None:
    # Given the same project
    given = _tagged_project(project)
    client = _token_client(member_of(project, Role.VIEWER))

    # When the JSON feed is read with informative text included
    response = client.get(f"/api/v1/projects/{project.slug}/feed/requirements.json?include_informative=true")

    # Then every row has exactly the fixed columns, with lists, numbers and booleans typed
    assert response.status_code == 200
    data = _json(response)
    assert data["project"] == project.slug
    assert data["generated_at"] == response["X-Selko-Generated-At"]
    assert data["updated_since"] is None
    assert data["columns"] == HEADER
    assert [list(row) for row in data["requirements"]] == [HEADER] * 3
    first = data["requirements"][0]
    assert first["requirement_id"] == given["first"].pk
    assert first["text"] == "=SUM(A1) shall not run"  # JSON is no spreadsheet: no formula guard
    assert first["quality_score"] == 85
    assert first["labeled"] is True
    assert first["human_tags"] == ["Electrical > EMC", "Electrical > Power supply"]
    assert first["predicted_tags"] == ["Electrical > Power supply", "Quality"]
    assert first["predicted_scores"] == {"Electrical > Power supply": 0.8765, "Quality": 0.7}
    assert first["model_version"] == "v3"
    note = data["requirements"][2]
    assert (note["requirement_id"], note["kind"], note["obligation"], note["labeled"]) == (
        given["note"].pk,
        "informative",
        "",
        False,
    )


def test_updated_since_returns_only_the_rows_that_changed(
    project: Project, member_of: Callable[..., object]
) -> None:
    # Given a first full refresh
    given = _tagged_project(project)
    editor = member_of(project, Role.EDITOR)
    client = _token_client(member_of(project, Role.VIEWER))
    url = f"/api/v1/projects/{project.slug}/feed/requirements.json"
    full = _json(client.get(url))
    assert len(full["requirements"]) == 2

    # When nothing changed, then the incremental refresh is empty (the time pasted into the URL as is)
    since = full["generated_at"]
    assert since.endswith("Z")
    assert _json(client.get(f"{url}?updated_since={since}"))["requirements"] == []

    # When a person answers on the second requirement, then only that row comes back, with the answer
    annotations_upsert(
        user=editor, project=project, items=[AnnotationInput(given["second"].pk, given["emc"].pk, True)]
    )
    changed = _json(client.get(url, {"updated_since": since}))
    assert [(row["requirement_id"], row["human_tags"]) for row in changed["requirements"]] == [
        (given["second"].pk, ["Electrical > EMC"])
    ]

    # When a segment of the parsed revision is marked informative, then it comes back with its new kind
    srs = given["srs"]
    srs.current_revision = srs.parsed_revision = DocumentRevision.objects.create(
        document=srs, number=1, file="documents/srs.pdf", original_filename="SRS.pdf", size=1, sha256="0" * 64
    )
    srs.save()
    since = _json(client.get(url))["generated_at"]
    requirement_mark(user=editor, requirement=given["first"], is_requirement=False)
    marked = _json(client.get(url, {"updated_since": since, "include_informative": "true"}))
    assert [(row["requirement_id"], row["kind"]) for row in marked["requirements"]] == [
        (given["first"].pk, "informative")
    ]

    # When another version becomes active, then every row comes back (its tags are the new version's)
    since = marked["generated_at"]
    version = ModelVersionFactory(project=project, number=4, is_active=False)
    model_version_promote(actor=member_of(project, Role.ADMIN), version=version)
    promoted = _json(client.get(url, {"updated_since": since, "include_informative": "true"}))
    assert [(row["requirement_id"], row["model_version"]) for row in promoted["requirements"]] == [
        (given["first"].pk, ""),
        (given["second"].pk, ""),
        (given["note"].pk, ""),
    ]


def test_a_malformed_updated_since_is_refused_with_the_field_named(
    project: Project, member_of: Callable[..., object]
) -> None:
    # Given a viewer's token
    client = _token_client(member_of(project, Role.VIEWER))

    # When updated_since is not a time
    response = client.get(f"/api/v1/projects/{project.slug}/feed/requirements.csv?updated_since=yesterday")

    # Then the answer is a 400 that names the parameter
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "validation_failed"
    assert list(body["error"]["details"]) == ["updated_since"]


def test_only_members_tokens_read_the_feed(project: Project) -> None:
    # Given a project and a user of another organization with a valid token of their own
    _tagged_project(project)
    outsider = UserFactory()
    MembershipFactory(user=outsider, organization=ProjectFactory().organization, role=Role.ADMIN)
    url = f"/api/v1/projects/{project.slug}/feed/requirements.csv"

    # When read without a token, with an unknown token, and with the outsider's token
    anonymous = APIClient().get(url)
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Bearer selko_abcdef123456_notthesecret")
    outsider_response = _token_client(outsider).get(url)

    # Then none of them gets a row; the other organization's project does not exist for the outsider
    assert anonymous.status_code == 401
    assert forged.get(url).status_code == 401
    assert outsider_response.status_code == 404
    assert outsider_response.json()["error"]["code"] == "not_found"

"""The OpenAPI schema tells the truth and stays warning-free: a new drf-spectacular warning fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

PAGINATED_LISTS = {
    "/api/v1/projects/": "PaginatedProjectOutputList",
    "/api/v1/tokens/": "PaginatedTokenOutputList",
    "/api/v1/projects/{project_slug}/documents/": "PaginatedDocumentOutputList",
    "/api/v1/projects/{project_slug}/requirements/": "PaginatedRequirementOutputList",
    "/api/v1/projects/{project_slug}/annotations/": "PaginatedAnnotationOutputList",
    "/api/v1/projects/{project_slug}/model-versions/": "PaginatedModelVersionOutputList",
    "/api/v1/projects/{project_slug}/training-jobs/": "PaginatedTrainingJobOutputList",
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # when the schema is generated as CI would, failing on any warning and validating the result
    path: Path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _json_body(response: dict[str, Any]) -> dict[str, Any]:
    return response["content"]["application/json"]["schema"]


def test_every_paginated_list_is_documented_with_its_page_shape(schema: dict[str, Any]) -> None:
    for path, component in PAGINATED_LISTS.items():
        get = schema["paths"][path]["get"]
        assert _json_body(get["responses"]["200"]) == {"$ref": f"#/components/schemas/{component}"}
        assert {p["name"] for p in get["parameters"] if p["in"] == "query"} >= {"page", "page_size"}
        page = schema["components"]["schemas"][component]
        assert sorted(page["properties"]) == ["count", "next", "previous", "results"]


def test_bearer_tokens_are_a_security_scheme_of_every_operation(schema: dict[str, Any]) -> None:
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 55  # every operation (55 when this was written)
    assert [op["operationId"] for op in operations if {"bearerAuth": []} not in op["security"]] == []


def test_nullable_fields_are_declared_nullable(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert components["DocumentOutput"]["properties"]["parsed_revision"]["nullable"] is True
    assert components["DocumentOutput"]["properties"]["revision"]["nullable"] is True
    assert components["TrainingJobOutput"]["properties"]["model_version"]["nullable"] is True
    assert components["ModelVersionOutput"]["properties"]["training_job"]["nullable"] is True


def test_the_label_export_declares_each_format_it_answers_in(schema: dict[str, Any]) -> None:
    answer = schema["paths"]["/api/v1/projects/{project_slug}/labels/export/"]["get"]["responses"]["200"]
    assert sorted(answer["content"]) == ["application/json", "application/yaml", "text/plain"]


def test_every_operation_documents_its_error_answers_with_the_shared_error_shape(
    schema: dict[str, Any],
) -> None:
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert schema["components"]["responses"]["NotFound"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert "Retry-After" in schema["components"]["responses"]["ServiceUnavailable"]["headers"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes >= {"401", "403", "404", "429", "503"}, (method, path)
            if method != "get":
                assert codes >= {"400", "409"}, (method, path)
    bulk = schema["paths"]["/api/v1/projects/{project_slug}/annotations/bulk/"]["post"]["responses"]
    assert bulk["400"] == {"$ref": "#/components/responses/BadRequest"}


def test_id_parameters_and_fields_are_bounded_like_the_database(schema: dict[str, Any]) -> None:
    document = schema["paths"]["/api/v1/projects/{project_slug}/documents/{document_id}/"]["get"]
    path_id = next(p for p in document["parameters"] if p["name"] == "document_id")
    assert path_id["schema"]["pattern"] == "^[0-9]{1,18}$"
    item = schema["components"]["schemas"]["AnnotationItemRequest"]["properties"]["requirement"]
    assert (item["minimum"], item["maximum"]) == (1, 10**18 - 1)

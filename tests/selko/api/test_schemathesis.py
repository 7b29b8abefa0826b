"""Schemathesis over every operation of the API, against a live server of the test settings: 50 generated
requests each, with a seeded project and a Bearer token; no server error, and every answer as the schema
says (status code, content type, headers, body).

Bounded: about 55 operations, 50 examples each, a couple of minutes on SQLite.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from selko.accounts.models import ApiToken
from selko.accounts.services import api_token_create
from selko.tenancy.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.models_app.factories import DocumentFactory, LabelFactory, RequirementFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXAMPLES_PER_OPERATION = 50
# The truth of the schema and of the server; whether a refusal of schema-valid input is wise (a 404 for an
# id that does not exist, a 409 for a label in use) is the business of each endpoint's own tests.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class Seeded:
    """An admin of a project with documents, requirements and a small label tree, and their token."""

    def __init__(self) -> None:
        self.user = UserFactory()
        self.project = ProjectFactory()
        MembershipFactory(user=self.user, organization=self.project.organization, role=Role.ADMIN)
        document = DocumentFactory(project=self.project)
        for order in range(3):
            RequirementFactory(project=self.project, document=document, order=order)
        parent = LabelFactory(project=self.project, name="Safety")
        LabelFactory(project=self.project, name="Braking", parent=parent)
        self.key = ""
        self.token_id = 0
        self.token_refresh()

    def token_refresh(self) -> None:
        # A generated DELETE may revoke the token itself: the next request gets a fresh one.
        if not ApiToken.objects.filter(pk=self.token_id).exists():
            issued = api_token_create(user=self.user, name="schemathesis")
            self.key, self.token_id = issued.key, issued.token.pk


@pytest.fixture
def seeded(transactional_db: None) -> Seeded:
    return Seeded()


def _explore(operation: Any, seeded: Seeded) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing example is enough
        suppress_health_check=list(HealthCheck),
    )
    def explore(case: Any) -> None:
        # the seeded project and organization rather than random slugs, so that requests reach the views
        if "project_slug" in (case.path_parameters or {}):
            case.path_parameters["project_slug"] = seeded.project.slug
        if "organization_slug" in (case.path_parameters or {}):
            case.path_parameters["organization_slug"] = seeded.project.organization.slug
        seeded.token_refresh()
        case.call_and_validate(headers={"Authorization": f"Bearer {seeded.key}"}, checks=CHECKS)

    explore()


def test_every_operation_answers_as_its_schema_says(live_server: Any, seeded: Seeded) -> None:
    # given the schema the live server publishes
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 55  # every operation (55 when this was written)
    # when each operation gets its generated requests
    failures: dict[str, str] = {}
    for operation in operations:
        try:
            _explore(operation, seeded)
        except (Exception, FailureGroup) as error:  # collected so that one run shows them all
            failures[operation.label] = str(error)[:2000]
    # then none failed a check
    assert not failures, "\n\n".join(f"{label}: {failure}" for label, failure in failures.items())

"""Create (or refresh) the demo organization, user and project. Safe to run again."""

import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from documents.models import Requirement
from documents.services.upload import document_import_file
from models_app.annotations.services import requirement_labels_set
from models_app.registry.tagging import predictions_refresh
from models_app.registry.zero_shot import zero_shot_version_refresh
from models_app.taxonomy.label_fields import LabelSpec
from models_app.taxonomy.selectors import taxonomy_get
from models_app.taxonomy.services import taxonomy_import
from selko.tenancy.models import Organization, Project, Role
from selko.tenancy.services import membership_set, organization_create, project_create

DEMO_USERNAME = "demo"
DEMO_ORGANIZATION = "Demo Engineering"
DEMO_PROJECT = "Demo flight software"

# A real public specification (NASA cFS, Apache-2.0: see models_app/demo/NOTICE.md), small enough to
# parse and tag in seconds.
DEMO_DOCUMENT = Path(__file__).resolve().parents[2] / "demo" / "nasa_cfs_requirements.csv"
# Which requirements the demo answers, by their ID prefix: the first few of each component, so that
# one press of Retrain has examples of every label and the rest are left for the model to suggest.
ANSWERED_PER_LABEL = 4


DEMO_TREE = (
    LabelSpec(
        name="Core Flight Executive",
        description="The cFE core services every flight application relies on.",
        color="#2457c5",
        children=(
            LabelSpec(
                name="Executive Services",
                description="Starting, stopping and restarting applications and tasks, resets, the "
                "system log and the exception and reset log.",
            ),
            LabelSpec(
                name="Event Services",
                description="Event messages: generating, filtering, enabling and disabling events and "
                "the local event log.",
            ),
            LabelSpec(
                name="Software Bus",
                description="Routing messages between applications: pipes, subscriptions, message "
                "IDs and routing statistics.",
            ),
            LabelSpec(
                name="Table Services",
                description="Loading, validating, activating and dumping tables of parameters.",
            ),
            LabelSpec(
                name="Time Services",
                description="Spacecraft time: clock state, time correlation, leap seconds and the 1 Hz tone.",
            ),
        ),
    ),
    LabelSpec(
        name="Housekeeping",
        description="Collecting telemetry from applications and combining it into housekeeping "
        "packets for the ground.",
        color="#1f7a3f",
    ),
    LabelSpec(
        name="Data Storage",
        description="Writing selected messages to files on board: destination files, filters and "
        "file naming.",
        color="#9a6700",
    ),
    LabelSpec(
        name="Stored Command",
        description="Running command sequences stored on board at absolute or relative times.",
        color="#6941c6",
    ),
)
ANSWER_PREFIXES = {
    "cES": "Core Flight Executive > Executive Services",
    "cEVS": "Core Flight Executive > Event Services",
    "cSB": "Core Flight Executive > Software Bus",
    "cTBL": "Core Flight Executive > Table Services",
    "cTIME": "Core Flight Executive > Time Services",
    "HK": "Housekeeping",
    "DS": "Data Storage",
    "SC": "Stored Command",
}


class Command(BaseCommand):
    help = "Create the demo organization, user and project (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("SELKO_DEMO_PASSWORD", "selko-demo")
        with transaction.atomic():
            user_model = get_user_model()
            user, _ = user_model.objects.get_or_create(
                username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
            )
            user.set_password(password)
            user.save()
            organization = Organization.objects.filter(name=DEMO_ORGANIZATION).first()
            if organization is None:
                organization = organization_create(name=DEMO_ORGANIZATION, owner=user)
            else:
                membership_set(actor=None, organization=organization, user=user, role=Role.ADMIN)
            project = Project.objects.filter(organization=organization, name=DEMO_PROJECT).first()
            if project is None:
                project = project_create(
                    user=user,
                    organization=organization,
                    name=DEMO_PROJECT,
                    description="NASA's core Flight System requirements, tagged by component. "
                    "Suggestions come from the labels' descriptions until a model is trained.",
                )
        self._fill(project=project, user=user)
        self.stdout.write(f"Demo project: /p/{project.slug}/")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {password}")

    def _fill(self, *, project: Project, user: Any) -> None:
        """The label tree with descriptions, the parsed specification, a few dozen answers and the
        zero-shot version's suggestions on every requirement, so the first page shows tags."""
        if not project.labels.exists():
            taxonomy_import(user=user, project=project, specs=DEMO_TREE)
        if not project.documents.exists():
            result = document_import_file(project=project, path=DEMO_DOCUMENT, actor=user)
            self.stdout.write(f"Demo document: {result.document.name} ({result.document.status})")
            self._answer(project=project, user=user)
        version = zero_shot_version_refresh(project_id=project.pk)
        if version is not None and version.is_active and version.tagged_at is None:
            # Tagged here rather than by the worker, which is not running yet when `make start` seeds.
            tagged = predictions_refresh(project_id=project.pk, model_version_id=version.pk)
            self.stdout.write(f"Zero-shot v{version.number} suggested labels for {tagged} requirements")

    def _answer(self, *, project: Project, user: Any) -> None:
        by_path = {row.path_display: row.id for row in taxonomy_get(project=project).rows()}
        answered: dict[str, int] = {}
        for requirement in Requirement.objects.filter(project=project).order_by("order"):
            prefix = next(
                (
                    p
                    for p in sorted(ANSWER_PREFIXES, key=len, reverse=True)
                    if requirement.external_id.startswith(p)
                ),
                None,
            )
            if prefix is None or answered.get(prefix, 0) >= ANSWERED_PER_LABEL:
                continue
            requirement_labels_set(
                user=user,
                project=project,
                requirement_id=requirement.pk,
                label_ids=[by_path[ANSWER_PREFIXES[prefix]]],
            )
            answered[prefix] = answered.get(prefix, 0) + 1
        self.stdout.write(f"Demo answers: {sum(answered.values())} requirements labeled")

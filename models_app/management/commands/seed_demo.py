"""Create (or refresh) the demo organization, user and project. Safe to run again."""

import os
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from documents.services.upload import document_import_file
from models_app.taxonomy.services import taxonomy_import
from models_app.taxonomy.starter_trees import taxonomy_template_get
from selko.tenancy.models import Organization, Project, Role
from selko.tenancy.services import membership_set, organization_create, project_create

DEMO_USERNAME = "demo"
DEMO_ORGANIZATION = "Demo Engineering"
DEMO_PROJECT = "Demo rail signalling"


DEMO_DOCUMENT = Path(__file__).resolve().parents[2] / "demo" / "demo_requirements.csv"


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
                    description="A demo project: upload a specification to see its requirements.",
                )
        self._fill(project=project, user=user)
        self.stdout.write(f"Demo project: /p/{project.slug}/")
        self.stdout.write(f"Demo login: {DEMO_USERNAME} / {password}")

    def _fill(self, *, project: Project, user: Any) -> None:
        """A starter label tree and a small requirements table, so the demo has something to label."""
        if not project.labels.exists():
            template = taxonomy_template_get(key="requirement-types")
            taxonomy_import(user=user, project=project, specs=template.labels)
        if not project.documents.exists():
            result = document_import_file(project=project, path=DEMO_DOCUMENT, actor=user)
            self.stdout.write(f"Demo document: {result.document.name} ({result.document.status})")

"""Recheck stored requirements after the quality rules changed (a new `RULES_VERSION`)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from documents.quality.rules import RULES_VERSION
from documents.quality.services import quality_recheck


class Command(BaseCommand):
    help = "Recompute quality findings checked with an older rules version (or all with --all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", type=int, help="only this project id")
        parser.add_argument(
            "--all", action="store_true", help="recheck every requirement, not only stale ones"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked = quality_recheck(project_id=options["project"], everything=options["all"])
        self.stdout.write(f"Checked {checked} requirements with rules version {RULES_VERSION}.")

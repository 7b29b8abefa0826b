"""`manage.py encoders list` and `manage.py encoders register PATH --name NAME`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from models_app.registry.encoders import encoder_list, encoder_register
from selko.errors import DomainError


class Command(BaseCommand):
    help = (
        "List the encoders projects can train from, or register a local checkpoint folder as one "
        "(checked to load; its sha256, size and sentences/s on this machine are recorded)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="the default encoder and every registered one")
        register = actions.add_parser("register", help="check and record a checkpoint folder")
        register.add_argument("path", type=Path, help="a local Hugging Face checkpoint folder")
        register.add_argument("--name", required=True, help="the name projects choose it by")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "register":
            self._register(path=options["path"], name=options["name"])
        else:
            self._list()

    def _register(self, *, path: Path, name: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder: never reach the network
        from training.ml.errors import MLError

        try:
            encoder = encoder_register(name=name, path=path)
        except (MLError, DomainError) as error:
            raise CommandError(f"Not registered: {error}") from error
        self.stdout.write(
            f"Registered encoder {encoder.name}: {encoder.path}\n"
            f"  weights sha256 {encoder.weights_sha256}\n"
            f"  {encoder.size_bytes / 1e6:.1f} MB, hidden size {encoder.hidden_size}, "
            f"{encoder.sentences_per_second:g} sentences/s on this machine (CPU)"
        )

    def _list(self) -> None:
        for choice in encoder_list():
            if choice.record is None:
                where = str(choice.path) if choice.path else "bundled package"
                self.stdout.write(f"{choice.name}  (default)  {where}")
                continue
            record = choice.record
            self.stdout.write(
                f"{record.name}  {record.path}  sha256 {record.weights_sha256[:12]}  "
                f"{record.size_bytes / 1e6:.1f} MB  {record.sentences_per_second:g} sentences/s  "
                f"registered {record.registered_at:%Y-%m-%d}"
            )

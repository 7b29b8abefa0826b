"""`manage.py quality_check --data CSV [--text-col text] --json`: the product's checks on a CSV, one JSON
object per row, for scripted use. Reads nothing from the database."""

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.quality.rules import quality_score, requirement_check


class Command(BaseCommand):
    help = "Check the requirement-quality rules on each row of a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, type=Path, help="CSV file with a header row")
        parser.add_argument("--text-col", default="text", help="column holding the requirement text")
        parser.add_argument("--id-col", default="id", help="column holding the requirement id, when present")
        parser.add_argument("--json", action="store_true", help="one JSON object per line (the only format)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["data"]
        text_col, id_col = options["text_col"], options["id_col"]
        try:
            handle = path.open(newline="", encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        with handle:
            reader = csv.DictReader(handle)
            if text_col not in (reader.fieldnames or []):
                raise CommandError(
                    f"{path} has no column {text_col!r}; its columns: {', '.join(reader.fieldnames or [])}."
                )
            for number, row in enumerate(reader, start=1):
                text = row[text_col] or ""
                findings = requirement_check(text)
                record = {
                    "row": number,
                    "id": row.get(id_col, ""),
                    "score": quality_score(findings),
                    "findings": [
                        {"rule": f.rule, "severity": str(f.severity), "start": f.start, "end": f.end,
                         "text": f.text, "message": f.message}
                        for f in findings
                    ],
                }  # fmt: skip
                self.stdout.write(json.dumps(record, ensure_ascii=False))

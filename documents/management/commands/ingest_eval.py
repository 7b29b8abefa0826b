"""`manage.py ingest_eval FILE --truth CSV [--filter COLUMN=VALUE ...] [--json]`: the parser scored on truth.

Parses FILE with the product's parser (nothing is stored) and scores its segments against the truth rows
with the rules of ``documents.parsers.evaluation``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.parsers import ParseError, parse_document
from documents.parsers.evaluation import RowFilter, read_truth, score
from documents.services.conversion import configured_converter


class Command(BaseCommand):
    help = "Score the parser's segments of a document against a truth CSV with id and text columns."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--truth", required=True, type=Path, metavar="CSV")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="EXPR",
            help="keep truth rows where COLUMN=VALUE, COLUMN!=VALUE, COLUMN~REGEX or COLUMN!~REGEX "
            "(repeatable, all must hold)",
        )
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            metavar="EXPR",
            help="truth rows, chosen like --filter, that a requirement-flagged segment may match without "
            "counting as extra although they are not scored (e.g. requirement objects inside tables)",
        )
        parser.add_argument(
            "--exclude-row",
            action="append",
            type=int,
            default=[],
            metavar="N",
            help="leave out data row N of the CSV (1 = first row after the header), e.g. a known "
            "annotation error",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--limit", type=int, default=50, help="misses and extras listed (default 50)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        truth_path: Path = options["truth"]
        for given in (path, truth_path):
            if not given.is_file():
                raise CommandError(f"No such file: {given}")
        try:
            filters = [RowFilter.parse(expression) for expression in options["filter"]]
            truth = read_truth(truth_path, filters=filters, exclude_lines=options["exclude_row"])
            known = (
                read_truth(
                    truth_path, filters=[RowFilter.parse(expression) for expression in options["scope"]]
                )
                if options["scope"]
                else []
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not truth:
            raise CommandError("No truth rows left after the filters.")
        try:
            document = parse_document(
                path, filename=path.name, max_bytes=1024**3, converter=configured_converter()
            )
        except ParseError as error:
            raise CommandError(f"{path.name}: {error.user_message}") from None
        result = score(document.segments, truth, known).as_dict(limit=options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps({"file": str(path), "truth": str(truth_path), **result}, indent=2))
            return
        self.stdout.write(
            f"{path.name}: {result['rows']} truth rows; "
            f"found {result['found']} ({result['found_ratio']:.1%}), "
            f"ID equal {result['id_equal']}/{result['id_rows']} ({result['id_equal_ratio']:.1%}), "
            f"flagged {result['flagged']} ({result['flagged_ratio']:.1%}), "
            f"extra {result['extra']}/{result['flagged_segments']} ({result['extra_ratio']:.1%})"
        )
        for miss in result["misses"]:  # type: ignore[attr-defined]
            self.stdout.write(f"  miss {miss['id']:>14} {miss['why']}: {miss['text'][:100]}")
        for extra in result["extras"]:  # type: ignore[attr-defined]
            self.stdout.write(f"  extra p{extra['page']:>3} {extra['id']:>14}: {extra['text'][:100]}")

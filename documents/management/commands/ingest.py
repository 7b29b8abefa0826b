"""`manage.py ingest FILE... --project SLUG [--json]`: scripted imports through the upload service.

Each file is stored and parsed synchronously, exactly as an upload followed by its ingest task would be.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.models import DocumentStatus
from documents.services.upload import document_import_file
from selko.errors import DomainError
from selko.tenancy.models import Project


class Command(BaseCommand):
    help = "Import requirement documents (PDF, Excel, CSV, ReqIF) into a project and parse them now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument("--project", required=True, help="slug of the project to import into")
        parser.add_argument(
            "--json", action="store_true", help="print one JSON object with a result per file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            project = Project.objects.get(slug=options["project"])
        except Project.DoesNotExist:
            raise CommandError(f"No project with slug {options['project']!r}.") from None
        results = [self._import(project, path) for path in options["files"]]
        if options["json"]:
            self.stdout.write(json.dumps({"project": project.slug, "files": results}, indent=2))
        else:
            for result in results:
                self.stdout.write(self._line(result))
        failed = [r for r in results if r["status"] != DocumentStatus.PARSED]
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} files could not be imported.")

    def _import(self, project: Project, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {"file": str(path)}
        if not path.is_file():
            return {**result, "status": "failed", "error": "No such file."}
        try:
            imported = document_import_file(project=project, path=path)
        except DomainError as error:
            return {**result, "status": "failed", "error": error.message}
        document = imported.document
        return {
            **result,
            "document_id": document.pk,
            "name": document.name,
            "revision": imported.upload.revision.number,
            "unchanged": not imported.upload.created_revision and not imported.resumed,
            "resumed": imported.resumed,
            "status": document.status,
            "error": document.error_message,
            "requirements": document.requirement_count,
            "segments": document.requirements.count(),
            "pages": document.page_count,
            "rows": document.row_count,
            "seconds": round(imported.seconds, 3),
        }

    @staticmethod
    def _line(result: dict[str, Any]) -> str:
        if result["status"] != DocumentStatus.PARSED:
            return f"{result['file']}: FAILED: {result['error']}"
        extent = f"{result['pages']} pages" if result["pages"] else f"{result['rows'] or 0} rows"
        unchanged = " (unchanged, not parsed again)" if result["unchanged"] else ""
        if result["resumed"]:
            unchanged = " (an interrupted import of this file, finished now)"
        return (
            f"{result['file']}: {result['requirements']} requirements, {extent}, "
            f"{result['seconds']:.2f} s{unchanged}"
        )

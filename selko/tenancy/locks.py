"""Serialising one project's writes where numbers or tree checks must see a settled state."""

from selko.tenancy.models import Project


def project_lock(*, project: Project) -> None:
    """Lock the project's row until the surrounding transaction ends. Taxonomy and annotation writes
    take it first, so a move's cycle check and an answer's hierarchy rules see a settled tree.

    SQLite ignores FOR UPDATE, but it already allows one writer at a time.
    """
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).first()

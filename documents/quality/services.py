"""Writes of quality findings: check a document's requirements, recheck what an older rules version left."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from documents.models import Document, Requirement
from documents.quality.counts import document_quality_counts_refresh
from documents.quality.models import QualityFinding, QualitySettings, RequirementQuality
from documents.quality.rules import (
    RULES,
    RULES_VERSION,
    QualityConfig,
    QualityConfigError,
    quality_score,
    requirement_check,
)
from documents.quality.selectors import quality_config_for_project
from documents.services.touch import requirements_touch
from selko.audit.services import audit_record
from selko.errors import ValidationFailed
from selko.queueing import enqueue_after_commit
from selko.request_types import AnyUser
from selko.rows import rows_insert
from selko.tenancy.models import Project, Role
from selko.tenancy.services import require_role

BATCH_SIZE = 1000
MAX_EXTRA_TERMS = 200
MAX_TERM_CHARS = 80
RECHECK_TASK = "documents.tasks.quality_recheck_project"


def document_quality_check(*, document_id: int, config: QualityConfig | None = None) -> int:
    """Replace the findings and scores of a document's requirements; returns how many were checked.
    Without a `config`, the project's own settings (rules switched off, extra vague words) apply.

    Runs in the follow-up of an ingest (services/findings.py, one transaction with the summary) and on its
    own from `quality_recheck`. Informative text is not checked: its wording is not a requirement's.
    """
    if config is None:
        project_id = Document.objects.filter(pk=document_id).values_list("project_id", flat=True).first()
        config = quality_config_for_project(project_id=project_id) if project_id else QualityConfig()
    rows = Requirement.objects.filter(document_id=document_id, is_requirement=True).values_list(
        "pk", "project_id", "text"
    )
    with transaction.atomic():
        QualityFinding.objects.filter(requirement__document_id=document_id).delete()
        RequirementQuality.objects.filter(requirement__document_id=document_id).delete()
        # Every row of the document: an ingest (which calls this) may have changed any of them.
        requirements_touch(requirements=Requirement.objects.filter(document_id=document_id))
        checked = _quality_write(rows.iterator(chunk_size=BATCH_SIZE), config=config)
        document_quality_counts_refresh(document_id=document_id)
        return checked


def _quality_write(rows: Iterable[tuple[int, int, str]], *, config: QualityConfig) -> int:
    # Rows, not model instances: see selko/rows.py for why bulk_create is slow here.
    scores: list[dict[str, object]] = []
    findings: list[dict[str, object]] = []
    checked = 0
    for requirement_id, project_id, text in rows:
        found = requirement_check(text, config=config)
        scores.append(
            {
                "requirement_id": requirement_id,
                "project_id": project_id,
                "score": quality_score(found),
                "finding_count": len(found),
                "rules_version": RULES_VERSION,
            }
        )
        findings.extend(
            {
                "project_id": project_id,
                "requirement_id": requirement_id,
                "rule": finding.rule,
                "severity": str(finding.severity),
                "start": finding.start,
                "end": finding.end,
            }
            for finding in found
        )
        checked += 1
        if len(scores) >= BATCH_SIZE:
            _flush(scores, findings)
    _flush(scores, findings)
    return checked


def _flush(scores: list[dict[str, object]], findings: list[dict[str, object]]) -> None:
    rows_insert(model=RequirementQuality, rows=scores, batch_size=BATCH_SIZE)
    rows_insert(model=QualityFinding, rows=findings, batch_size=BATCH_SIZE)
    scores.clear()
    findings.clear()


def quality_recheck(*, project_id: int | None = None, everything: bool = False) -> int:
    """Recheck the documents whose requirements were checked with an older rules version (or never);
    `everything` rechecks all. Returns how many requirements were checked. Idempotent, one document per
    transaction, so an interrupted run resumes where it stopped."""
    stale = Requirement.objects.filter(document=OuterRef("pk"), is_requirement=True).filter(
        Q(quality__isnull=True) | ~Q(quality__rules_version=RULES_VERSION)
    )
    documents = (
        Document.objects.all() if project_id is None else Document.objects.filter(project_id=project_id)
    )
    if not everything:
        documents = documents.filter(Exists(stale))
    return sum(
        document_quality_check(document_id=document_id)
        for document_id in documents.order_by("pk").values_list("pk", flat=True)
    )


def quality_settings_update(
    *, user: AnyUser, project: Project, disabled_rules: list[str], extra_vague_terms: list[str]
) -> QualitySettings:
    """Store a project's rule settings (admins only), audit the change and recheck every requirement of
    the project in a task on the `default` queue once it commits.

    All or nothing: an unknown rule or an empty, too long or wordless term is refused with every problem
    named, and nothing is stored or queued. Terms are trimmed and de-duplicated (case-insensitively).
    """
    require_role(user=user, project=project, minimum=Role.ADMIN, action="change the quality rules")
    errors: dict[str, list[str]] = {}
    rules = sorted(set(disabled_rules))
    terms: list[str] = []
    seen: set[str] = set()
    for term in extra_vague_terms:
        cleaned = " ".join(str(term).split())
        if len(cleaned) > MAX_TERM_CHARS:
            errors.setdefault("extra_vague_terms", []).append(
                f"{cleaned[:20]!r}… is longer than {MAX_TERM_CHARS} characters."
            )
        elif cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            terms.append(cleaned)
    if len(terms) > MAX_EXTRA_TERMS:
        errors.setdefault("extra_vague_terms", []).append(f"At most {MAX_EXTRA_TERMS} terms.")
    unknown = [rule for rule in rules if rule not in RULES]
    if unknown:
        errors["disabled_rules"] = [
            f"Unknown quality rule {', '.join(unknown)}; the rules are {', '.join(RULES)}."
        ]
    if not errors:
        try:
            QualityConfig(disabled_rules=frozenset(rules), extra_vague_terms=tuple(terms))
        except QualityConfigError as error:
            errors["extra_vague_terms"] = [str(error)]
    if errors:
        raise ValidationFailed(
            "The quality settings are not valid: " + " ".join(m for ms in errors.values() for m in ms),
            details=errors,
        )
    with transaction.atomic():
        stored = QualitySettings.objects.select_for_update().filter(project=project).first()
        before = (
            {"disabled_rules": stored.disabled_rules, "extra_vague_terms": stored.extra_vague_terms}
            if stored
            else {"disabled_rules": [], "extra_vague_terms": []}
        )
        stored = stored or QualitySettings(project=project)
        stored.disabled_rules = rules
        stored.extra_vague_terms = terms
        stored.updated_by = user if user.is_authenticated else None
        stored.save()
        audit_record(
            actor=user,
            action="quality.settings_changed",
            target=project,
            project=project,
            details={"before": before, "after": {"disabled_rules": rules, "extra_vague_terms": terms}},
        )
        enqueue_after_commit(RECHECK_TASK, project.pk)
    return stored

"""What is computed from a document's requirements once the ingest has stored them: the quality findings
and the summary.

Not in the ingest's transaction: together they take as long as storing the requirements (the quality
rules run over every requirement, the summary ranks every sentence, the encoder embeds them), and the
document is usable, its requirements readable and answerable, as soon as they are stored. The ingest
clears what the previous revision left (`document_findings_clear`) and queues `document_findings_compute`
after its commit; until it has run the document's page says the findings are on their way.
"""

from django.db import transaction

from documents.models import Document, Requirement
from documents.quality.models import DocumentQualityCounts, QualityFinding, RequirementQuality
from documents.quality.services import document_quality_check
from documents.summaries.embeddings import summary_vectors
from documents.summaries.models import DocumentSummary
from documents.summaries.services import document_summary_compute

FINDINGS_TASK = "documents.tasks.document_findings"


def document_findings_clear(*, document_id: int) -> None:
    """In the ingest's transaction: nothing of the previous revision's findings or summary stays shown
    next to the new requirements."""
    QualityFinding.objects.filter(requirement__document_id=document_id).delete()
    RequirementQuality.objects.filter(requirement__document_id=document_id).delete()
    DocumentQualityCounts.objects.filter(document_id=document_id).delete()
    DocumentSummary.objects.filter(document_id=document_id).delete()


def document_findings_compute(*, document_id: int, revision_id: int) -> bool:
    """The quality check and the summary of the requirements that `revision_id` left, in one transaction;
    False when there is nothing to do (the document is gone, or another revision's requirements replaced
    them: that ingest queued its own). Idempotent: a re-ingest of the same revision computes them again."""
    if not _still_current(document_id=document_id, revision_id=revision_id):
        return False
    # Before the transaction: embedding the sentences takes seconds on a long document.
    texts = Requirement.objects.filter(document_id=document_id).order_by("order", "pk")
    vectors = summary_vectors(list(texts.values_list("text", "is_requirement")))
    with transaction.atomic():
        # Locked, so a re-ingest cannot replace the requirements between the check and the writes.
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or not _current(document, revision_id):
            return False
        document_quality_check(document_id=document_id)
        document_summary_compute(document_id=document_id, vectors=vectors)
    return True


def _still_current(*, document_id: int, revision_id: int) -> bool:
    document = Document.objects.filter(pk=document_id).first()
    return document is not None and _current(document, revision_id)


def _current(document: Document, revision_id: int) -> bool:
    return document.parsed_revision_id == revision_id

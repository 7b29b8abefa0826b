"""Summaries picked with the project's sentence encoder: in the ingest task, by coverage of the document
in the encoder's embedding space; by TF-IDF when the encoder cannot be loaded."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from documents.models import DocumentStatus, Requirement
from documents.summaries.embeddings import summary_vectors
from documents.summaries.extractive import central_segments_embedded, is_summary_candidate
from documents.summaries.models import DocumentSummary
from documents.summaries.services import METHOD_ENCODER, METHOD_TFIDF, summary_segments_pick
from selko.tenancy.models import Project
from tests.documents.ingest_files import spec_pdf
from tests.documents.services.test_ingest import upload_and_ingest


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_segments_nearest_the_documents_meaning_are_chosen_without_near_twins_in_document_order() -> None:
    texts = [
        "3 Braking",  # a heading: never a summary sentence, whatever its vector
        "The train shall apply the service brake when the driver moves the handle.",
        "The brake controller shall hold the train while the doors are open.",
        "The vehicle must not roll away while passengers board it.",  # the same meaning as the one above
        "The cab radio shall display the channel number in green at night.",
        "The emergency brake shall stop the train from full speed in time.",
    ]
    # brakes along the first axis; each brake sentence adds its own nuance; the radio is elsewhere
    vectors = [
        _unit(1, 0, 0, 0, 0),
        _unit(1, 0, 1, 0, 0),
        _unit(1, 1, 0, 0, 0),
        _unit(1, 1.05, 0, 0, 0),
        _unit(0, 0, 0, 0, 1),
        _unit(1, 0, 0, 1, 0),
    ]

    picked = central_segments_embedded(texts, vectors, count=3)

    assert picked == [1, 2, 5]  # about brakes, one of the two twins, never the heading or the radio


def test_texts_without_a_vector_are_not_candidates_and_fewer_candidates_than_asked() -> None:
    texts = ["The door shall close within five seconds of the signal.", "The door shall open on request."]
    assert central_segments_embedded(texts, [_unit(1, 0), None], count=5) == [0]
    assert central_segments_embedded([], [], count=5) == []


def test_a_scope_with_requirements_is_summarised_by_its_requirements_not_the_notes_between_them() -> None:
    note = "Rationale: provides the ground with the knowledge it needs about the command."
    requirement = "Upon receipt of a Noop command, the application shall increment the command counter."
    other = "The application shall reject a command whose length is not the expected length."
    rows = [
        (10, ["7 CF"], note, False),
        (11, ["7 CF"], requirement, True),
        (12, ["7 CF"], note + " Heritage.", False),
        (13, ["7 CF"], other, True),
        (20, ["8 Notes"], note, False),
        (21, ["8 Notes"], note + " Heritage.", False),
    ]
    # the notes are the most central by meaning
    vectors = {
        note: _unit(1, 0, 0),
        note + " Heritage.": _unit(1, 0.1, 0),
        requirement: _unit(1, 1, 0),
        other: _unit(1, 0, 1),
    }

    picked = summary_segments_pick(rows=rows, vectors=vectors)

    assert picked[""] == [11, 13]
    assert picked["7 CF"] == [11, 13]
    assert picked["8 Notes"] == [20, 21]  # a section of notes only is summarised by its notes
    # and when only the requirements were embedded, the notes' section is picked by TF-IDF
    del vectors[note], vectors[note + " Heritage."]
    assert summary_segments_pick(rows=rows, vectors=vectors)["8 Notes"] == [20, 21]


@pytest.mark.django_db
def test_the_ingest_picks_the_summary_with_the_encoder(
    project: Project, editor: object, settings: Any, tiny_encoder: Path
) -> None:
    settings.SELKO_SUMMARY_METHOD = "encoder"
    settings.SELKO_BASE_MODEL = str(tiny_encoder)

    document = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())

    summary = DocumentSummary.objects.get(document=document)
    rows = list(
        document.requirements.order_by("order", "pk").values_list(
            "pk", "section_path", "text", "is_requirement"
        )
    )
    vectors = summary_vectors([(text, flag) for _, _, text, flag in rows])
    assert summary.method == METHOD_ENCODER
    assert summary.segments == summary_segments_pick(rows=rows, vectors=vectors)
    assert summary.segments[""]
    texts = dict(Requirement.objects.filter(document=document).values_list("pk", "text"))
    assert all(is_summary_candidate(texts[pk]) for picked in summary.segments.values() for pk in picked)


def test_a_long_document_embeds_an_evenly_spaced_sample_of_its_sentences(
    settings: Any, tiny_encoder: Path
) -> None:
    settings.SELKO_SUMMARY_METHOD = "encoder"
    settings.SELKO_BASE_MODEL = str(tiny_encoder)
    settings.SELKO_SUMMARY_MAX_EMBEDDED = 10
    segments = [(f"The unit shall report the state of channel {n} to the operator.", True) for n in range(40)]

    vectors = summary_vectors(segments)

    assert vectors is not None and len(vectors) == 10
    embedded = sorted(int(text.split("channel ")[1].split()[0]) for text in vectors)
    assert embedded == list(range(0, 40, 4))  # from the whole document, not its first ten


@pytest.mark.django_db
def test_without_a_loadable_encoder_the_ingest_summarises_by_tfidf(
    project: Project, editor: object, settings: Any, tmp_path: Path
) -> None:
    settings.SELKO_SUMMARY_METHOD = "encoder"
    settings.SELKO_BASE_MODEL = str(tmp_path / "no-such-checkpoint")

    document = upload_and_ingest(editor, project, "spec.pdf", spec_pdf())

    assert document.status == DocumentStatus.PARSED
    summary = DocumentSummary.objects.get(document=document)
    rows = list(
        document.requirements.order_by("order", "pk").values_list(
            "pk", "section_path", "text", "is_requirement"
        )
    )
    assert summary.method == METHOD_TFIDF
    assert summary.segments == summary_segments_pick(rows=rows)


@pytest.mark.slow
@pytest.mark.django_db
def test_minilm_summarises_the_cfs_specification_with_central_distinct_sentences(
    shared_data: Path, settings: Any
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = shared_data / "documents" / "nasa_cfs_requirements.xlsx"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    settings.SELKO_SUMMARY_METHOD = "encoder"
    settings.SELKO_BASE_MODEL = ""  # the bundled all-MiniLM-L6-v2, as in production
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    texts = [
        str(cell)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str) and is_summary_candidate(str(cell))
    ]
    rows = [(index, ["cFS"], text, True) for index, text in enumerate(texts)]

    vectors = summary_vectors([(text, True) for text in texts])
    picked = summary_segments_pick(rows=rows, vectors=vectors)

    assert vectors is not None
    assert len(picked[""]) == 5 and picked[""] == sorted(picked[""])
    matrix = np.stack([vectors[text] for text in texts])
    centroid = matrix.mean(axis=0) / np.linalg.norm(matrix.mean(axis=0))
    centrality = matrix @ centroid
    chosen = matrix[picked[""]]
    # each chosen sentence is among the most central quarter of the specification …
    assert all(centrality[i] >= np.quantile(centrality, 0.75) for i in picked[""])
    # … and no two of them say nearly the same thing
    similarity = chosen @ chosen.T
    assert similarity[~np.eye(5, dtype=bool)].max() < 0.95

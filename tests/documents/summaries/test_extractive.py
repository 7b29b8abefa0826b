"""The extractive core: central segments first, no near-duplicates, document order, short bits skipped."""

from documents.summaries.extractive import central_segments


def test_the_segments_about_what_the_document_is_about_are_chosen_in_document_order() -> None:
    texts = [
        "3 Braking",  # a heading: too short to be a summary sentence
        "The train shall apply the service brake when the driver moves the brake handle.",
        "The brake controller shall release the service brake when the brake handle is in neutral.",
        "The brake controller shall release the service brake when the brake handle is in neutral position.",
        "The cab radio shall display the channel number in green letters at night.",
        "The emergency brake shall stop the train from full speed when the brake loop opens.",
    ]

    picked = central_segments(texts, count=3)

    assert picked == [1, 2, 5]  # about brakes, one of the two near-twins, never the heading or the radio


def test_fewer_candidates_than_asked_and_no_text_at_all() -> None:
    assert central_segments(
        ["Short.", "The door shall close within five seconds of the signal."], count=5
    ) == [1]
    assert central_segments([], count=5) == []

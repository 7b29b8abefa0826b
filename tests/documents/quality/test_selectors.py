"""Highlighting: the text cut at every span's edge, each piece naming the findings over it."""

from documents.quality.selectors import FindingView, text_highlight


def finding(rule: str, start: int, end: int) -> FindingView:
    return FindingView(rule, rule, "low", start, end, "", "", "")


def test_overlapping_spans_are_cut_so_each_piece_names_every_finding_over_it() -> None:
    text = "shall be able to log in"
    wide, narrow = finding("wide", 0, 16), finding("narrow", 6, 13)

    pieces = text_highlight(text=text, findings=[wide, narrow])

    assert [(p.text, [f.rule for f in p.findings]) for p in pieces] == [
        ("shall ", ["wide"]),
        ("be able", ["wide", "narrow"]),
        (" to", ["wide"]),
        (" log in", []),
    ]
    assert "".join(piece.text for piece in pieces) == text


def test_without_findings_the_text_is_one_plain_piece_and_an_empty_text_no_piece() -> None:
    assert [(p.text, p.findings) for p in text_highlight(text="Plain.", findings=[])] == [("Plain.", ())]
    assert text_highlight(text="", findings=[]) == []

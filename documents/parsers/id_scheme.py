"""What a document's ID scheme says about its untagged passages.

An author who tags requirements with IDs ("REQ-7: ...") has said which passages are requirements; the
wording rules alone would also flag user-guide prose with "must" and section text with "will".
"""

from __future__ import annotations

from .classify_segment import Obligation, is_requirements_section
from .types import Segment

# Below this many tagged requirements a document has no ID scheme to speak of.
_MIN_TAGGED = 10
# Tagged requirements per untagged passage inside requirement sections above which the author is taken
# to tag all requirements: for passages that only the section makes binding, and for any passage.
_TAGS_ALL = 5
_TAGS_ALL_STRICT = 20
_CONTEXT_BOUND = frozenset((str(Obligation.DECLARATIVE), str(Obligation.OPTIONAL)))


def trust_the_id_scheme(segments: list[Segment]) -> None:
    """Where the author tags requirements with IDs, an untagged "will" or "must" describes.

    A document that gives most of its requirements an ID ("REQ-7: ...") has said which passages are its
    requirements; user-guide prose outside requirement sections ("To open a database you must ...") is
    not one of them. Where the untagged passages are a handful beside the tagged ones, the author tagged
    every requirement, and the few left over describe even inside a requirements section ("This section
    describes the interfaces ... will be followed").
    """
    tagged = sum(1 for segment in segments if segment.is_requirement and segment.external_id)
    if tagged < _MIN_TAGGED:
        return
    untagged = [
        segment
        for segment in segments
        if segment.is_requirement and not segment.external_id and "list stem" not in segment.attributes
    ]
    inside = [segment for segment in untagged if is_requirements_section(segment.section_path)]
    inside_ids = {id(segment) for segment in inside}
    outside = [segment for segment in untagged if id(segment) not in inside_ids]
    described = outside if tagged >= len(outside) else []
    # Inside a requirements section "will" and "may" bind only by where they stand, so a few such
    # passages beside many tagged ones are taken as description; "shall" and "must" need the author to
    # have left out far fewer before they are (a requirement whose ID the parser could not split off
    # reads untagged too).
    weak = [segment for segment in inside if segment.obligation in _CONTEXT_BOUND]
    if tagged >= _TAGS_ALL * len(weak):
        described += weak
    if tagged >= _TAGS_ALL_STRICT * len(inside):
        described += [segment for segment in inside if segment.obligation not in _CONTEXT_BOUND]
    for segment in described:
        segment.is_requirement = False
        segment.obligation = ""

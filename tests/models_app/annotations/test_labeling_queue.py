"""The labeling queue ("most useful next"), its filters and API, and the labeling and taxonomy pages."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from models_app.annotations import labeling_queue as labeling_queue_module
from models_app.annotations.labeling_queue import QueueFilters, labeling_next, labeling_queue
from models_app.annotations.models import Annotation
from models_app.taxonomy.models import Label
from selko.audit.models import AuditEvent
from selko.tenancy.models import Membership, Project, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.models_app.factories import (
    DocumentFactory,
    LabelFactory,
    ModelVersionFactory,
    PredictionFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db


def _corpus(project: Project) -> dict[str, object]:
    """Two documents: A with sections 1 and 2 (three requirements each), B with one section."""
    a = DocumentFactory(project=project, name="A.pdf")
    b = DocumentFactory(project=project, name="B.pdf")
    made = {}
    for order in range(6):
        section = ["1 Doors"] if order < 3 else ["2 Brakes", "2.1 Service"]
        made[f"a{order}"] = RequirementFactory(document=a, order=order, section_path=section)
    for order in range(2):
        made[f"b{order}"] = RequirementFactory(document=b, order=order, section_path=["Interfaces"])
    return made


def _names(made: dict[str, object], ids: list[int]) -> list[str]:
    by_pk = {r.pk: name for name, r in made.items()}
    return [by_pk[i] for i in ids]


def test_without_a_model_the_queue_spreads_over_documents_and_sections(project: Project) -> None:
    made = _corpus(project)
    ids, strategy = labeling_queue(project=project, filters=QueueFilters())
    assert strategy == "diversity"
    assert _names(made, ids) == ["a0", "b0", "a3", "a1", "b1", "a4", "a2", "a5"]


def test_sections_that_already_have_answers_come_later(project: Project) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project)
    Annotation.objects.create(project=project, requirement=made["a0"], label=label, value=True)
    ids, _ = labeling_queue(project=project, filters=QueueFilters())
    # "1 Doors" has an answer: its requirements drop a round behind the untouched sections.
    assert _names(made, ids)[:5] == ["a3", "b0", "a1", "b1", "a4"]


def test_with_an_active_model_the_most_uncertain_come_first(project: Project) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project)
    other = LabelFactory(project=project)
    version = ModelVersionFactory(project=project)
    ModelVersionFactory(project=project, is_active=False)
    scores = {"a0": (0.99, 0.02), "a1": (0.45, 0.9), "a2": (0.1, 0.7), "b0": (0.97, 0.58), "b1": (0.0, 1.0)}
    for name, pair in scores.items():
        for lbl, score in zip((label, other), pair, strict=True):
            PredictionFactory(model_version=version, requirement=made[name], label=lbl, score=score)

    ids, strategy = labeling_queue(project=project, filters=QueueFilters())

    assert strategy == "uncertainty"
    # Scored ones by their most uncertain label, then the unscored ones in diversity order.
    assert _names(made, ids) == ["a1", "b0", "a2", "a0", "b1", "a3", "a4", "a5"]


def test_queue_filters_by_document_section_label_and_answered(project: Project) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project)
    Annotation.objects.create(project=project, requirement=made["a4"], label=label, value=True)
    Annotation.objects.create(project=project, requirement=made["a5"], label=label, value=False)

    def queue(**filters: object) -> list[str]:
        return _names(made, labeling_queue(project=project, filters=QueueFilters(**filters))[0])

    assert queue(document_id=made["b0"].document_id) == ["b0", "b1"]
    assert queue(section="2 Brakes") == ["a3"]
    assert queue(section="2 Brakes", unlabeled_only=False) == ["a3", "a4", "a5"]
    assert queue(section="2 Brak") == []
    assert queue(label_id=label.pk, unlabeled_only=False) == ["a4"]
    assert queue(label_id=label.pk) == []  # a "yes" is an answer: out of the unlabeled queue


def test_next_moves_past_a_skipped_requirement(project: Project) -> None:
    made = _corpus(project)
    first = labeling_next(project=project, filters=QueueFilters())
    skipped = labeling_next(project=project, filters=QueueFilters(), after_id=first.requirement.pk)
    assert (first.requirement, first.position, first.size) == (made["a0"], 1, 8)
    assert (skipped.requirement, skipped.position) == (made["b0"], 2)


def test_next_api_returns_the_head_of_the_filtered_queue(project: Project, editor_api: APIClient) -> None:
    made = _corpus(project)
    url = f"/api/v1/projects/{project.slug}/labeling/next/"
    body = editor_api.get(url, {"document": made["b0"].document_id}).json()
    assert body["requirement"]["id"] == made["b0"].pk
    assert body["requirement"]["document_name"] == "B.pdf"
    assert (body["position"], body["size"], body["strategy"]) == (1, 2, "diversity")
    empty = editor_api.get(url, {"section": "Nowhere"}).json()
    assert (empty["requirement"], empty["size"]) == (None, 0)


def test_a_long_queue_is_counted_up_to_a_bound(
    project: Project, editor_api: APIClient, editor_browser: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project)
    version = ModelVersionFactory(project=project)
    for i, name in enumerate(["a0", "a1", "a2", "a3", "b0"]):  # suggested for all but a4, a5 and b1
        PredictionFactory(model_version=version, requirement=made[name], label=label, score=0.6 + i / 100)
    Annotation.objects.create(project=project, requirement=made["a0"], label=label, value=True)
    url = f"/api/v1/projects/{project.slug}/labeling/next/"

    body = editor_api.get(url, {"label": label.pk}).json()
    assert (body["requirement"]["id"], body["size"], body["size_exact"]) == (made["a1"].pk, 4, True)

    monkeypatch.setattr(labeling_queue_module, "QUEUE_SIZE_COUNTED_UP_TO", 3)
    body = editor_api.get(url, {"label": label.pk}).json()
    assert (body["requirement"]["id"], body["size"], body["size_exact"]) == (made["a1"].pk, 3, False)
    page = editor_browser.get(f"/p/{project.slug}/label/", {"label": label.pk}).content.decode()
    assert "3+ in the queue" in page
    body = editor_api.get(url, {"label": label.pk, "document": made["b0"].document_id}).json()
    assert (body["requirement"]["id"], body["size"], body["size_exact"]) == (made["b0"].pk, 1, True)


def test_the_labeling_page_saves_a_complete_answer_and_goes_on(
    project: Project, editor_browser: Client
) -> None:
    made = _corpus(project)
    quality = LabelFactory(project=project, name="Quality")
    speed = LabelFactory(project=project, name="Speed", parent=quality)
    LabelFactory(project=project, name="Functional")

    page = editor_browser.get(f"/p/{project.slug}/label/")
    assert page.status_code == 200
    assert page.context["requirement"] == made["a0"]

    saved = editor_browser.post(
        f"/p/{project.slug}/label/{made['a0'].pk}/", {"chosen": [str(speed.pk)], "document": ""}
    )

    assert saved.status_code == 302
    assert saved["Location"] == f"/p/{project.slug}/label/?after={made['a0'].pk}"
    answers = dict(Annotation.objects.filter(requirement=made["a0"]).values_list("label__name", "value"))
    assert answers == {"Quality": True, "Speed": True, "Functional": False}
    assert editor_browser.get(saved["Location"]).context["requirement"] == made["a3"]


def test_a_viewer_sees_the_labeling_page_but_cannot_save(
    project: Project, member_of: Callable[..., object]
) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project)
    browser = Client()
    browser.force_login(member_of(project, Role.VIEWER))
    assert b'id="save-next"' not in browser.get(f"/p/{project.slug}/label/").content
    response = browser.post(f"/p/{project.slug}/label/{made['a0'].pk}/", {"chosen": [str(label.pk)]})
    assert response.status_code == 200
    assert "You need the editor role to label requirements." in response.content.decode()
    assert not Annotation.objects.exists()


def test_labeling_pages_of_another_organization_are_404(project: Project) -> None:
    made = _corpus(project)
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.ADMIN)
    browser = Client()
    browser.force_login(outsider)
    for url in ("label/", f"label/{made['a0'].pk}/", "labels/", "export/", "members/"):
        assert browser.get(f"/p/{project.slug}/{url}").status_code == 404


def test_a_requirement_of_another_project_is_404_on_the_labeling_page(
    editor_browser: Client, project: Project
) -> None:
    foreign = RequirementFactory()
    assert editor_browser.get(f"/p/{project.slug}/label/{foreign.pk}/").status_code == 404


def test_taxonomy_page_creates_a_label_and_the_delete_page_asks_first(
    project: Project, editor_browser: Client
) -> None:
    made = _corpus(project)
    created = editor_browser.post(f"/p/{project.slug}/labels/", {"new-name": "Safety", "new-parent": ""})
    assert created.status_code == 302
    safety = Label.objects.get(project=project, name="Safety")
    Annotation.objects.create(project=project, requirement=made["a0"], label=safety, value=True)

    confirm = editor_browser.get(f"/p/{project.slug}/labels/{safety.pk}/delete")
    assert "1 answer</b>" in confirm.content.decode()
    refused = editor_browser.post(f"/p/{project.slug}/labels/{safety.pk}/delete", {})
    assert refused.status_code == 200
    assert Label.objects.filter(pk=safety.pk).exists()

    deleted = editor_browser.post(f"/p/{project.slug}/labels/{safety.pk}/delete", {"confirm": "yes"})
    assert deleted.status_code == 302
    assert not Label.objects.filter(pk=safety.pk).exists()
    assert not Annotation.objects.exists()


def test_taxonomy_page_refuses_a_move_under_a_descendant(project: Project, editor_browser: Client) -> None:
    quality = LabelFactory(project=project, name="Quality")
    speed = LabelFactory(project=project, name="Speed", parent=quality)
    page = editor_browser.get(f"/p/{project.slug}/labels/{quality.pk}/edit")
    assert [value for value, _ in page.context["form"].fields["parent"].choices] == [""]
    response = editor_browser.post(
        f"/p/{project.slug}/labels/{quality.pk}/edit", {"name": "Quality", "parent": str(speed.pk)}
    )
    assert response.status_code == 200
    assert Label.objects.get(pk=quality.pk).parent_id is None


def test_taxonomy_page_imports_paths_and_copies_a_template(project: Project, editor_browser: Client) -> None:
    editor_browser.post(
        f"/p/{project.slug}/labels/import",
        {"import-file_type": "paths", "import-content": "Electrical > EMC\nElectrical > Power supply"},
    )
    editor_browser.post(f"/p/{project.slug}/labels/templates/engineering-disciplines")
    exported = editor_browser.get(f"/p/{project.slug}/labels/export.paths").content.decode().splitlines()
    assert exported[:4] == [
        "Electrical",
        "Electrical > EMC",
        "Electrical > Power supply",
        "Electrical > Cabling and wiring",
    ]
    assert len(exported) == 25  # EMC and Power supply were merged with the template's


def test_dashboard_panel_shows_the_counters(project: Project, editor_browser: Client) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project, name="Safety")
    Annotation.objects.create(project=project, requirement=made["a0"], label=label, value=True)
    html = editor_browser.get(f"/p/{project.slug}/").content.decode()
    assert 'id="panel-labeled-count">1</b>' in html
    assert "4 more" in html


def test_an_admin_adds_changes_and_removes_a_member(
    project: Project, member_of: Callable[..., object]
) -> None:
    admin = member_of(project, Role.ADMIN)
    newcomer = UserFactory(username="bruno")
    MembershipFactory(user=newcomer, organization=OrganizationFactory())  # a colleague of the admin's there
    MembershipFactory(user=admin, organization=newcomer.memberships.get().organization)
    browser = Client()
    browser.force_login(admin)
    url = f"/p/{project.slug}/members/"

    browser.post(url, {"action": "add", "username": "bruno", "role": "viewer"})
    membership = Membership.objects.get(user=newcomer, organization=project.organization)
    browser.post(url, {"action": "role", "membership": membership.pk, "role": "editor"})
    assert Membership.objects.get(pk=membership.pk).role == Role.EDITOR
    browser.post(url, {"action": "remove", "membership": membership.pk})

    assert not Membership.objects.filter(user=newcomer, organization=project.organization).exists()
    assert [e.action for e in AuditEvent.objects.order_by("id")] == [
        "membership.set",
        "membership.set",
        "membership.removed",
    ]


def test_an_editor_cannot_manage_members_and_the_last_admin_stays(
    project: Project, member_of: Callable[..., object], editor_browser: Client
) -> None:
    admin = member_of(project, Role.ADMIN)
    UserFactory(username="carla")
    editor_browser.post(
        f"/p/{project.slug}/members/", {"action": "add", "username": "carla", "role": "admin"}
    )
    assert not Membership.objects.filter(user__username="carla").exists()

    browser = Client()
    browser.force_login(admin)
    own = Membership.objects.get(user=admin)
    browser.post(f"/p/{project.slug}/members/", {"action": "role", "membership": own.pk, "role": "viewer"})
    assert Membership.objects.get(pk=own.pk).role == Role.ADMIN


def _walk(project: Project) -> list[int]:
    """The queue as a labeler skipping through it sees it: next, next after that, …"""
    seen: list[int] = []
    head = labeling_next(project=project, filters=QueueFilters())
    while head.requirement is not None:
        assert head.position == len(seen) + 1
        seen.append(head.requirement.pk)
        head = labeling_next(project=project, filters=QueueFilters(), after_id=head.requirement.pk)
    return seen


def test_skipping_through_the_uncertainty_queue_follows_the_whole_order_ties_included(
    project: Project,
) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project)
    version = ModelVersionFactory(project=project)
    # a2, a3 and b1 are as uncertain as each other: the diversity order settles which comes first.
    scores = {"a0": 0.99, "a1": 0.45, "a2": 0.75, "b0": 0.58, "b1": 0.25, "a3": 0.25}
    for name, score in scores.items():
        PredictionFactory(model_version=version, requirement=made[name], label=label, score=score)

    ids, _ = labeling_queue(project=project, filters=QueueFilters())

    assert _names(made, ids) == ["a1", "b0", "a3", "b1", "a2", "a0", "a4", "a5"]
    assert _walk(project) == ids


def test_the_place_after_a_skipped_requirement_is_counted_up_to_a_bound_in_at_most_eight_queries(
    project: Project,
    editor_api: APIClient,
    editor_browser: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    made = _corpus(project)
    label = LabelFactory(project=project)
    version = ModelVersionFactory(project=project)
    for i in range(6):  # a0 the most uncertain, then a1, … a5
        PredictionFactory(model_version=version, requirement=made[f"a{i}"], label=label, score=0.5 + i / 100)
    url = f"/api/v1/projects/{project.slug}/labeling/next/"

    with django_assert_max_num_queries(8):
        body = editor_api.get(url, {"after": made["a2"].pk}).json()
    assert (body["requirement"]["id"], body["position"], body["position_exact"]) == (made["a3"].pk, 4, True)
    with django_assert_max_num_queries(8):
        page = editor_browser.get(f"/p/{project.slug}/label/", {"after": made["a2"].pk}).content.decode()
    assert f'/label/{made["a3"].pk}/"' in page  # the form answers a3, the next after a2

    monkeypatch.setattr(labeling_queue_module, "QUEUE_SIZE_COUNTED_UP_TO", 1)
    body = editor_api.get(url, {"after": made["a2"].pk}).json()
    # a0 and a1 are ahead of a2: counting stopped after one of them, so a3 is at least third.
    assert (body["requirement"]["id"], body["position"], body["position_exact"]) == (made["a3"].pk, 3, False)

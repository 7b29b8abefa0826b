"""The label tree: create, rename, move, delete, import and export, with its rules and role checks."""

import json
from collections.abc import Callable

import pytest
import yaml
from rest_framework.test import APIClient

from models_app.annotations.models import Annotation
from models_app.taxonomy.file_formats import taxonomy_dump, taxonomy_parse
from models_app.taxonomy.models import Label
from models_app.taxonomy.selectors import taxonomy_get
from models_app.taxonomy.services import label_create, label_move, taxonomy_import
from selko.audit.models import AuditEvent
from selko.errors import Conflict, PermissionDenied, ValidationFailed
from selko.tenancy.models import Project, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.models_app.factories import LabelFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _paths(project: Project) -> list[str]:
    return [row.path_display for row in taxonomy_get(project=project).rows()]


def _tree(project: Project, editor: object) -> dict[str, Label]:
    electrical = label_create(user=editor, project=project, name="Electrical")
    power = label_create(user=editor, project=project, name="Power supply", parent_id=electrical.pk)
    mains = label_create(user=editor, project=project, name="Mains", parent_id=power.pk)
    software = label_create(user=editor, project=project, name="Software")
    return {"electrical": electrical, "power": power, "mains": mains, "software": software}


def test_labels_are_created_in_tree_order_with_paths(project: Project, editor: object) -> None:
    _tree(project, editor)
    assert _paths(project) == [
        "Electrical",
        "Electrical > Power supply",
        "Electrical > Power supply > Mains",
        "Software",
    ]
    assert AuditEvent.objects.filter(project=project, action="label.created").count() == 4


def test_a_sibling_with_the_same_name_is_refused(project: Project, editor: object) -> None:
    labels = _tree(project, editor)
    with pytest.raises(Conflict):
        label_create(user=editor, project=project, name="power SUPPLY", parent_id=labels["electrical"].pk)
    assert Label.objects.filter(project=project).count() == 4


def test_a_name_with_the_path_separator_is_refused(project: Project, editor: object) -> None:
    with pytest.raises(ValidationFailed, match="cannot contain '>'"):
        label_create(user=editor, project=project, name="Electrical > Power")
    assert not Label.objects.filter(project=project).exists()


def test_moving_a_label_under_itself_is_refused(project: Project, editor: object) -> None:
    labels = _tree(project, editor)
    with pytest.raises(ValidationFailed, match="its own parent"):
        label_move(user=editor, project=project, label_id=labels["power"].pk, parent_id=labels["power"].pk)
    assert _paths(project)[1] == "Electrical > Power supply"


def test_moving_a_label_under_its_own_descendant_is_refused(project: Project, editor: object) -> None:
    labels = _tree(project, editor)
    before = _paths(project)
    with pytest.raises(ValidationFailed, match="would make a cycle"):
        label_move(
            user=editor, project=project, label_id=labels["electrical"].pk, parent_id=labels["mains"].pk
        )
    assert _paths(project) == before
    assert not AuditEvent.objects.filter(action="label.moved").exists()


def test_moving_a_label_carries_its_subtree_and_implies_the_new_ancestors(
    project: Project, editor: object
) -> None:
    labels = _tree(project, editor)
    requirement = RequirementFactory(document__project=project)
    Annotation.objects.create(project=project, requirement=requirement, label=labels["mains"], value=True)

    label_move(user=editor, project=project, label_id=labels["power"].pk, parent_id=labels["software"].pk)

    assert _paths(project) == [
        "Electrical",
        "Software",
        "Software > Power supply",
        "Software > Power supply > Mains",
    ]
    answers = dict(Annotation.objects.filter(requirement=requirement).values_list("label__name", "value"))
    assert answers == {"Mains": True, "Software": True}
    event = AuditEvent.objects.get(action="label.moved")
    assert event.details["from"] == "Electrical > Power supply"
    assert event.details["to"] == "Software > Power supply"


def test_moving_across_projects_is_refused(project: Project, editor: object) -> None:
    labels = _tree(project, editor)
    foreign = LabelFactory(name="Foreign")
    with pytest.raises(ValidationFailed, match="No label"):
        label_move(user=editor, project=project, label_id=labels["software"].pk, parent_id=foreign.pk)
    assert Label.objects.get(pk=labels["software"].pk).parent_id is None


def test_viewer_cannot_edit_the_taxonomy(project: Project, member_of: Callable[..., object]) -> None:
    viewer = member_of(project, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        label_create(user=viewer, project=project, name="Security")
    assert not Label.objects.filter(project=project).exists()


def test_deleting_a_label_in_use_asks_first_then_takes_its_answers(
    project: Project, editor: object, editor_api: APIClient
) -> None:
    labels = _tree(project, editor)
    requirement = RequirementFactory(document__project=project)
    for key in ("electrical", "power"):
        Annotation.objects.create(project=project, requirement=requirement, label=labels[key], value=True)
    Annotation.objects.create(project=project, requirement=requirement, label=labels["software"], value=False)
    url = f"/api/v1/projects/{project.slug}/labels/{labels['power'].pk}/"

    refused = editor_api.delete(url)

    assert refused.status_code == 409
    assert refused.json()["error"]["details"] == {"labels": 2, "annotations": 1, "confirm": True}
    assert Label.objects.filter(project=project).count() == 4
    assert Annotation.objects.count() == 3

    confirmed = editor_api.delete(f"{url}?confirm=true")

    assert confirmed.status_code == 200
    assert confirmed.json() == {"labels": 2, "annotations": 1}
    assert _paths(project) == ["Electrical", "Software"]
    assert Annotation.objects.count() == 2
    assert AuditEvent.objects.get(action="label.deleted").details["annotations"] == 1


def test_api_creates_renames_and_moves_labels(project: Project, editor_api: APIClient) -> None:
    base = f"/api/v1/projects/{project.slug}/labels/"
    root = editor_api.post(base, {"name": "Quality", "color": "#112233"}).json()
    child = editor_api.post(base, {"name": "Speed", "parent": root["id"]}).json()
    assert (child["path"], child["depth"], child["color"]) == ("Quality > Speed", 1, "#112233")

    renamed = editor_api.patch(f"{base}{child['id']}/", {"name": "Performance"})
    assert renamed.status_code == 200
    assert renamed.json()["path"] == "Quality > Performance"

    moved = editor_api.patch(f"{base}{child['id']}/", {"parent": None})
    assert moved.json()["path"] == "Performance"

    cycle = editor_api.patch(f"{base}{root['id']}/", {"parent": root["id"]})
    assert cycle.status_code == 400
    assert cycle.json()["error"]["code"] == "validation_failed"

    listed = editor_api.get(base).json()
    assert [(row["path"], row["needed"]) for row in listed] == [("Quality", 5), ("Performance", 5)]


def test_viewer_reads_labels_but_cannot_create_them_through_the_api(
    project: Project, member_of: Callable[..., object]
) -> None:
    LabelFactory(project=project, name="Safety")
    viewer = APIClient()
    viewer.force_authenticate(member_of(project, Role.VIEWER))
    assert [row["name"] for row in viewer.get(f"/api/v1/projects/{project.slug}/labels/").json()] == [
        "Safety"
    ]
    refused = viewer.post(f"/api/v1/projects/{project.slug}/labels/", {"name": "Security"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert list(Label.objects.filter(project=project).values_list("name", flat=True)) == ["Safety"]


def test_labels_of_another_organization_are_not_found(project: Project) -> None:
    label = LabelFactory(project=project, name="Secret")
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.ADMIN, organization=ProjectFactory().organization)
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/projects/{project.slug}/labels/").status_code == 404
    assert (
        client.patch(f"/api/v1/projects/{project.slug}/labels/{label.pk}/", {"name": "x"}).status_code == 404
    )
    assert Label.objects.get(pk=label.pk).name == "Secret"


def test_paths_import_builds_the_tree_and_is_idempotent(project: Project, editor: object) -> None:
    text = (
        "Electrical > Power supply\nElectrical > EMC\n\n# comment\n"
        "electrical > power supply > Mains\nSoftware\n"
    )
    first = taxonomy_import(
        user=editor, project=project, specs=taxonomy_parse(content=text, file_format="paths")
    )
    second = taxonomy_import(
        user=editor, project=project, specs=taxonomy_parse(content=text, file_format="paths")
    )
    assert (first.created, second.created, second.unchanged) == (5, 0, 5)
    assert _paths(project) == [
        "Electrical",
        "Electrical > Power supply",
        "Electrical > Power supply > Mains",
        "Electrical > EMC",
        "Software",
    ]


def test_yaml_export_reads_back_as_the_same_tree(project: Project, editor: object) -> None:
    _tree(project, editor)
    label_create(user=editor, project=project, name="Security", description="Access control")
    dumped = taxonomy_dump(index=taxonomy_get(project=project), file_format="yaml")
    other = ProjectFactory(organization=project.organization)

    taxonomy_import(user=editor, project=other, specs=taxonomy_parse(content=dumped, file_format="yaml"))

    assert _paths(other) == _paths(project)
    assert yaml.safe_load(dumped)["labels"][2] == {
        "name": "Security",
        "description": "Access control",
        "color": Label.objects.get(project=project, name="Security").color,
    }


def test_json_import_through_the_api_and_malformed_files_are_refused(
    project: Project, editor_api: APIClient
) -> None:
    url = f"/api/v1/projects/{project.slug}/labels/import/"
    content = json.dumps(
        [{"name": "Functional"}, {"name": "Quality", "children": ["Speed", {"name": "Safety"}]}]
    )
    assert editor_api.post(url, {"file_type": "json", "content": content}).json() == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
    }
    broken = editor_api.post(url, {"file_type": "yaml", "content": "labels:\n  - name: [unclosed\n"})
    assert broken.status_code == 400
    assert "invalid YAML" in broken.json()["error"]["message"]
    unknown_key = editor_api.post(url, {"file_type": "json", "content": '[{"name": "X", "colr": "#fff"}]'})
    assert unknown_key.status_code == 400
    assert _paths(project) == ["Functional", "Quality", "Quality > Speed", "Quality > Safety"]


def test_yaml_import_refuses_python_object_tags(project: Project, editor: object) -> None:
    with pytest.raises(ValidationFailed, match="invalid YAML"):
        taxonomy_parse(content="labels: !!python/object/apply:os.system ['true']", file_format="yaml")


def test_export_api_gives_paths_and_templates_can_be_copied(project: Project, editor_api: APIClient) -> None:
    base = f"/api/v1/projects/{project.slug}/labels/"
    templates = editor_api.get(f"{base}templates/").json()
    assert [t["key"] for t in templates] == ["requirement-types", "engineering-disciplines"]
    applied = editor_api.post(f"{base}templates/requirement-types/")
    assert applied.status_code == 200
    assert applied.json()["created"] == len(templates[0]["paths"])

    exported = editor_api.get(f"{base}export/?file_type=paths")

    assert exported.status_code == 200
    assert exported["Content-Disposition"] == f'attachment; filename="{project.slug}-labels.txt"'
    lines = exported.content.decode().splitlines()
    assert lines[:3] == ["Functional", "Non-functional", "Non-functional > Performance"]
    assert lines == templates[0]["paths"]

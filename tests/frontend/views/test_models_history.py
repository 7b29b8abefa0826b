"""The Models page's chart of F1 across versions, with the training size of each."""

import re
from collections.abc import Callable

from django.test import Client

from selko.tenancy.models import Project, Role
from tests.factories import ProjectFactory
from tests.models_app.factories import LabelFactory, ModelVersionFactory


def _version(project: Project, number: int, macro: float, per_label: dict[int, float], examples: int) -> None:
    ModelVersionFactory(
        project=project,
        number=number,
        is_active=False,
        metrics={
            "macro_f1": macro,
            "per_label": {str(k): {"f1": v, "support": 5} for k, v in per_label.items()},
        },
        lineage={"example_count": examples},
    )


def test_the_models_page_draws_each_labels_f1_and_the_macro_f1_across_versions(
    project: Project, member_of: Callable[..., object]
) -> None:
    # Given three versions; the second label only exists from v2 on
    safety = LabelFactory(project=project, name="Safety")
    power = LabelFactory(project=project, name="Power")
    _version(project, 1, 0.5, {safety.pk: 0.5}, 40)
    _version(project, 2, 0.625, {safety.pk: 0.75, power.pk: 0.5}, 80)
    _version(project, 3, 0.875, {safety.pk: 1.0, power.pk: 0.75}, 160)
    client = Client()
    client.force_login(member_of(project, Role.VIEWER))  # type: ignore[arg-type]

    # When a viewer opens the Models page
    response = client.get(f"/p/{project.slug}/models/")

    # Then the chart has one line per label and one for macro-F1, each point where the version has a value
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="metrics-history"') :]
    lines = re.findall(r'<g class="history-line( macro)?" data-name="([^"]+)">\s*<title>[^<]*</title>\s*'
                       r'<polyline points="([^"]*)"', section)  # fmt: skip
    # x: v1..v3 evenly from 44 to 620; y: 210 at F1 0, 16 at F1 1
    assert lines == [
        ("", "Power", "332.0,113.0 620.0,64.5"),
        ("", "Safety", "44.0,113.0 332.0,64.5 620.0,16.0"),
        (" macro", "Macro-F1", "44.0,113.0 332.0,88.8 620.0,40.2"),
    ]
    # under each version, how many labeled requirements it was trained on
    assert re.findall(r">(v\d) ?</text>\s*<text[^>]*>(\d+ ex\.)</text>", section) == [
        ("v1", "40 ex."),
        ("v2", "80 ex."),
        ("v3", "160 ex."),
    ]
    table = section[section.index('id="history-table"') :]
    rows = re.findall(r"</span> ([^<]+)</td>((?:<td class=\"num\">[^<]*</td>)+)", table)
    assert [(name, re.findall(r">([^<]*)<", cells)[::2]) for name, cells in rows] == [
        ("Macro-F1", ["0.500", "0.625", "0.875"]),
        ("Power", ["—", "0.500", "0.750"]),
        ("Safety", ["0.500", "0.750", "1.000"]),
    ]
    assert re.search(r"Labeled requirements</td><td class=\"num\">40</td><td class=\"num\">80</td>"
                     r"<td class=\"num\">160</td>", table)  # fmt: skip
    assert "<script>" not in section  # drawn on the server: the CSP allows no inline script


def test_a_project_without_versions_has_no_chart_and_another_organizations_is_a_404(
    project: Project, member_of: Callable[..., object]
) -> None:
    # Given a project without versions, and another organization's project with one
    other = ProjectFactory()
    _version(other, 1, 0.5, {}, 10)
    client = Client()
    client.force_login(member_of(project, Role.VIEWER))  # type: ignore[arg-type]

    # When the member opens both Models pages
    own = client.get(f"/p/{project.slug}/models/")
    foreign = client.get(f"/p/{other.slug}/models/")

    # Then their own has no chart yet, and the other organization's does not exist for them
    assert own.status_code == 200
    assert 'id="metrics-history"' not in own.content.decode()
    assert foreign.status_code == 404

"""The explorer page in a browser client: filter by a tag and a quality rule, accept suggestions in bulk."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from models_app.annotations.models import Annotation
from models_app.explorer.models import SavedView
from tests.factories import ProjectFactory
from tests.models_app.explorer.test_api_explorer import World

pytestmark = pytest.mark.django_db


def test_the_page_filters_by_tag_and_rule_and_shows_tags_findings_and_provenance(
    editor_browser: Client, world: World
) -> None:
    response = editor_browser.get(
        f"/p/{world.project.slug}/explorer/",
        {"label": world.brakes.pk, "source": "model", "rule": "vague_term"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="requirement"') == 1
    assert "The brakes should release fast." in page
    assert "Vague or subjective term: “fast”" in page
    assert "a-spec.pdf · 3 Safety &gt; 3.2 Brakes · p. 1" in page


def test_a_bulk_accept_from_the_page_saves_answers_and_returns_to_the_filtered_view(
    editor_browser: Client, world: World
) -> None:
    response = editor_browser.post(
        f"/p/{world.project.slug}/explorer/bulk",
        {
            "requirement": [world.r2.pk, world.r4.pk],
            "label": world.brakes.pk,
            "action": "accept",
            "query": "rule=vague_term",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/p/{world.project.slug}/explorer/?rule=vague_term"
    assert Annotation.objects.filter(requirement=world.r2, label=world.brakes, value=True).exists()
    assert not Annotation.objects.filter(requirement=world.r4).exists()


def test_a_bad_filter_shows_a_message_and_another_organizations_project_is_404(
    editor_browser: Client, world: World
) -> None:
    bad = editor_browser.get(f"/p/{world.project.slug}/explorer/", {"rule": "nope"})
    other = ProjectFactory()

    assert bad.status_code == 200
    assert "No quality rule &#x27;nope&#x27;" in bad.content.decode()
    assert editor_browser.get(f"/p/{other.slug}/explorer/").status_code == 404


def test_a_saved_view_is_deleted_from_the_page(editor_browser: Client, world: World) -> None:
    view = SavedView.objects.create(project=world.project, name="Brakes", filters={"search": "brake"})
    page = editor_browser.get(f"/p/{world.project.slug}/explorer/").content.decode()

    response = editor_browser.post(f"/p/{world.project.slug}/explorer/views/{view.pk}/delete")

    assert f'action="/p/{world.project.slug}/explorer/views/{view.pk}/delete"' in page
    assert response.status_code == 302
    assert response["Location"] == f"/p/{world.project.slug}/explorer/"
    assert not SavedView.objects.exists()


def test_the_page_shows_documents_saved_views_tags_and_findings_in_at_most_eight_queries(
    editor_browser: Client, world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    SavedView.objects.create(project=world.project, name="Vague ones", filters={"rule": "vague_term"})
    SavedView.objects.create(project=world.project, name="All", filters={})

    with django_assert_max_num_queries(8):
        response = editor_browser.get(f"/p/{world.project.slug}/explorer/")

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<option value="{world.spec.pk}">a-spec.pdf</option><option value="{world.sheet.pk}">b-sheet' in page
    )
    assert '<a href="?">All</a>' in page
    assert '<a href="?rule=vague_term&">Vague ones</a>' in page
    assert "Vague or subjective term: “fast”" in page
    assert page.count('name="requirement"') == 4

"""The labeling page: the most useful requirement with its neighbours, the model's suggestions, the
label tree with its readiness and the documents of the filter, in at most eight queries."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.models_app.explorer.test_api_explorer import World
from tests.models_app.explorer.test_api_explorer import world as world  # the fixture

pytestmark = pytest.mark.django_db


def test_the_queue_page_shows_the_head_its_neighbours_and_suggestions_in_at_most_eight_queries(
    editor_browser: Client, world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    with django_assert_max_num_queries(8):
        response = editor_browser.get(f"/p/{world.project.slug}/label/")

    page = response.content.decode()
    assert response.status_code == 200
    # Unlabeled: r2 (brakes 0.6, the most uncertain) and r4 (unscored).
    assert "2 in the queue" in page
    assert "The brakes should release fast." in page
    assert f'/label/{world.r1.pk}/?"><b>SAF-1</b> The train shall apply the brakes.</a>' in page
    assert f'/label/{world.r3.pk}/?"><b>DOOR-1</b> The door timeout shall be TBD.</a>' in page
    assert (
        f'<li data-label="{world.brakes.pk}"><span class="lb-chip">Brakes</span> <span class="muted">0.60'
        in page
    )
    assert '<span class="value" id="labeled-count">2</span>' in page
    assert (
        f'<option value="{world.spec.pk}">a-spec.pdf</option><option value="{world.sheet.pk}">b-sheet' in page
    )


def test_a_chosen_requirement_shows_its_answers_and_neighbours_in_at_most_eight_queries(
    editor_browser: Client, world: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    with django_assert_max_num_queries(8):
        response = editor_browser.get(f"/p/{world.project.slug}/label/{world.r1.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "The train shall apply the brakes." in page
    assert f'/label/{world.r2.pk}/?"><b>SAF-2</b>' in page  # after it; nothing before the first
    assert 'class="lb-context" href' in page and page.count('class="lb-context"') == 1

"""In a real browser: log in, create a project, see it listed."""

from typing import Any

import pytest
from playwright.sync_api import expect

from selko.tenancy.models import Project, Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_in_create_a_project_and_see_it_listed(page: Any) -> None:
    user = UserFactory(username="pm")
    membership = MembershipFactory(user=user, role=Role.EDITOR, organization__name="Rail Co")

    log_in(page, "pm", PASSWORD)
    assert page.locator("h1").inner_text() == "Projects"
    page.click("text=New project")
    page.fill("#id_name", "ETCS onboard unit")
    page.fill("#id_description", "Subset-026 review")
    page.click("button:has-text('Create project')")

    page.wait_for_url("**/p/etcs-onboard-unit/")
    assert page.locator("h1").inner_text() == "ETCS onboard unit"
    assert "Project “ETCS onboard unit” created." in page.locator(".messages").inner_text()
    page.click("a:has-text('Projects')")
    rows = page.locator("#project-table tbody tr")
    expect(rows).to_have_count(1)  # waits for the list page: the click only waits for it to start loading
    assert rows.first.inner_text().startswith("ETCS onboard unit\tRail Co")
    assert Project.objects.get(slug="etcs-onboard-unit").organization == membership.organization

"""Adding members: only people the admin already works with, and no answer tells who exists elsewhere."""

import re
from typing import Any

import pytest
from django.test import Client

from selko.audit.models import AuditEvent
from selko.errors import NotFound
from selko.tenancy.models import Membership, Project, Role
from selko.tenancy.services import membership_add
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _admin_browser(admin: Any) -> Client:
    browser = Client()
    browser.force_login(admin)
    return browser


def _page_text(response: Any, username: str) -> str:
    """The page with the typed name and the per-render CSRF mask taken out."""
    html = response.content.decode().replace(username, "NAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _add(browser: Client, project: Project, username: str) -> Any:
    return browser.post(
        f"/p/{project.slug}/members/", {"action": "add", "username": username, "role": "viewer"}, follow=True
    )


def test_a_member_of_another_organization_is_refused_like_a_username_nobody_has(
    project: Project, member_of: Any
) -> None:
    # given an admin, and a user who belongs only to another organization
    admin = member_of(project, Role.ADMIN)
    stranger = UserFactory(username="stranger")
    MembershipFactory(user=stranger, organization=OrganizationFactory(), role=Role.ADMIN)
    memberships_before = Membership.objects.count()
    browser = _admin_browser(admin)
    # when the admin tries to add the stranger, and a username nobody has
    existing = _add(browser, project, "stranger")
    missing = _add(browser, project, "nobody-has-this-name")
    # then both answers are the same page, word for word (but for the name typed), and nothing changed
    assert existing.status_code == missing.status_code == 200
    assert [str(m) for m in existing.context["messages"]] == [
        "No one called 'stranger' can be added: only people of your other organizations can. "
        "Invite anyone else."
    ]
    assert _page_text(existing, "stranger") == _page_text(missing, "nobody-has-this-name")
    assert Membership.objects.count() == memberships_before
    assert not Membership.objects.filter(user=stranger, organization=project.organization).exists()
    assert not AuditEvent.objects.filter(action="membership.set").exists()


def test_the_service_refuses_a_stranger_with_the_same_error_as_a_missing_user(
    project: Project, member_of: Any
) -> None:
    admin = member_of(project, Role.ADMIN)
    MembershipFactory(user=UserFactory(username="stranger"), organization=OrganizationFactory())
    errors = []
    for username in ("stranger", "ghost"):
        with pytest.raises(NotFound) as refused:
            membership_add(
                actor=admin, organization=project.organization, username=username, role=Role.VIEWER
            )
        errors.append((refused.value.message.replace(username, "NAME"), refused.value.details))
    assert errors[0] == errors[1]
    assert errors[0][1] == {"username": ["Not among the people you can add."]}


def test_a_colleague_from_another_of_the_admins_organizations_can_be_added(
    project: Project, member_of: Any
) -> None:
    # given an admin who is also a viewer in a second organization, where a colleague works
    admin = member_of(project, Role.ADMIN)
    second = OrganizationFactory()
    MembershipFactory(user=admin, organization=second, role=Role.VIEWER)
    colleague = UserFactory(username="colleague")
    MembershipFactory(user=colleague, organization=second)
    browser = _admin_browser(admin)
    # when the members page is shown, and the admin adds the colleague
    page = browser.get(f"/p/{project.slug}/members/").content.decode()
    _add(browser, project, "Colleague")
    # then the colleague was offered and is now a viewer
    assert '<option value="colleague">' in page
    assert Membership.objects.get(user=colleague, organization=project.organization).role == Role.VIEWER


def test_a_new_account_without_an_organization_is_refused_like_anyone_else(
    project: Project, member_of: Any
) -> None:
    # a success here would tell that the username exists: such accounts join by invitation
    admin = member_of(project, Role.ADMIN)
    newcomer = UserFactory(username="newcomer")
    page = _admin_browser(admin).get(f"/p/{project.slug}/members/").content.decode()
    added = _add(_admin_browser(admin), project, "newcomer")
    missing = _add(_admin_browser(admin), project, "nobody-has-this-name")
    assert "newcomer" not in page
    assert _page_text(added, "newcomer") == _page_text(missing, "nobody-has-this-name")
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_members_page_offers_no_one_from_other_organizations(project: Project, member_of: Any) -> None:
    admin = member_of(project, Role.ADMIN)
    MembershipFactory(user=UserFactory(username="stranger"), organization=OrganizationFactory())
    page = _admin_browser(admin).get(f"/p/{project.slug}/members/").content.decode()
    assert '<datalist id="member-candidates"></datalist>' in page
    assert "stranger" not in page

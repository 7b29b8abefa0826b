"""Invitations: anyone joins an organization only through a link an admin made, used once, in time."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from selko.tenancy.models import Invitation, Membership, Project, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/invitations/[^/\s]+/)")


def _browser(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _invite(admin_browser: Client, project: Project, recipient: str, role: str = "editor") -> tuple[Any, str]:
    response = admin_browser.post(
        f"/p/{project.slug}/members/", {"action": "invite", "recipient": recipient, "role": role}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    found = LINK.search(text)
    return response, found.group(1) if found else ""


def _masked(response: Any, *secrets: str) -> str:
    html = response.content.decode()
    for secret in secrets:
        html = html.replace(secret, "SECRET")
    html = re.sub(r"/invitations/[^/\s\"]+/", "/invitations/LINK/", html)
    html = re.sub(r'name="invitation" value="\d+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_member_of_another_organization_joins_by_accepting_the_link(
    project: Project, member_of: Any
) -> None:
    # given an admin, and someone who belongs only to another organization
    admin = member_of(project, Role.ADMIN)
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, organization=OrganizationFactory(), role=Role.ADMIN)
    # when the admin invites them by username and they open and accept the link, logged in
    _, link = _invite(_browser(admin), project, "outsider")
    browser = _browser(outsider)
    page = browser.get(link)
    accepted = browser.post(link)
    # then they are an editor of the organization, and the link is spent
    assert page.status_code == 200
    assert f"join <b>{project.organization.name}</b> as\n      <b>editor</b>" in page.content.decode()
    assert accepted.status_code == 302
    assert Membership.objects.get(user=outsider, organization=project.organization).role == Role.EDITOR
    assert browser.get(link).status_code == 404


def test_the_answer_is_the_same_for_a_username_that_exists_elsewhere_and_one_nobody_has(
    project: Project, member_of: Any
) -> None:
    admin = member_of(project, Role.ADMIN)
    MembershipFactory(user=UserFactory(username="stranger"), organization=OrganizationFactory())
    browser = _browser(admin)
    existing, _ = _invite(browser, project, "stranger")
    # the first invitation is listed as pending on the second answer: revoke it to compare like with like
    Invitation.objects.all().delete()
    missing, _ = _invite(browser, project, "nobody-has-this-name")
    assert existing.status_code == missing.status_code == 200
    assert _masked(existing, "stranger") == _masked(missing, "nobody-has-this-name")
    assert not Membership.objects.filter(
        user__username="stranger", organization=project.organization
    ).exists()


def test_a_link_for_a_username_does_not_work_for_another_account(project: Project, member_of: Any) -> None:
    admin = member_of(project, Role.ADMIN)
    UserFactory(username="meant")
    other = UserFactory(username="someone-else")
    _, link = _invite(_browser(admin), project, "meant")
    refused = _browser(other).post(link)
    assert refused.status_code == 404
    assert "This invitation link is not valid" in refused.content.decode()
    assert not Membership.objects.filter(user=other).exists()


def test_an_email_invitation_works_once_and_not_after_it_expires(project: Project, member_of: Any) -> None:
    admin = member_of(project, Role.ADMIN)
    first, second, late = UserFactory(), UserFactory(), UserFactory()
    _, used_link = _invite(_browser(admin), project, "ada@example.com", role="viewer")
    _, expired_link = _invite(_browser(admin), project, "bob@example.com")
    Invitation.objects.filter(recipient="bob@example.com").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert _browser(first).post(used_link).status_code == 302
    reused = _browser(second).post(used_link)
    expired = _browser(late).post(expired_link)
    unknown = _browser(late).post("/invitations/not-a-token/")

    assert Membership.objects.get(user=first, organization=project.organization).role == Role.VIEWER
    assert reused.status_code == expired.status_code == unknown.status_code == 404
    names = (second.username, late.username)
    assert _masked(reused, *names) == _masked(expired, *names) == _masked(unknown, *names)
    assert not Membership.objects.filter(user__in=[second, late]).exists()


def test_only_an_admin_invites_and_a_revoked_link_is_dead(
    project: Project, member_of: Any, editor_browser: Client
) -> None:
    admin = member_of(project, Role.ADMIN)
    _, none = _invite(editor_browser, project, "x@example.com")
    assert none == "" and not Invitation.objects.exists()
    browser = _browser(admin)
    _, link = _invite(browser, project, "y@example.com")
    invitation = Invitation.objects.get()
    browser.post(f"/p/{project.slug}/members/", {"action": "revoke", "invitation": invitation.pk})
    assert _browser(UserFactory()).post(link).status_code == 404
    assert not Invitation.objects.exists()


def test_an_admin_of_another_organization_cannot_revoke_or_see_this_organizations_invitations(
    project: Project, member_of: Any
) -> None:
    admin = member_of(project, Role.ADMIN)
    _invite(_browser(admin), project, "z@example.com")
    other_project = Project.objects.create(organization=OrganizationFactory(), name="Other", slug="other")
    other_admin = member_of(other_project, Role.ADMIN)
    browser = _browser(other_admin)
    page = browser.get(f"/p/{other_project.slug}/members/").content.decode()
    browser.post(
        f"/p/{other_project.slug}/members/", {"action": "revoke", "invitation": Invitation.objects.get().pk}
    )
    assert "z@example.com" not in page
    assert Invitation.objects.count() == 1
    assert browser.get(f"/p/{project.slug}/members/").status_code == 404


def test_an_invitation_to_someone_already_a_member_is_refused_and_stays_usable(
    project: Project, member_of: Any
) -> None:
    admin = member_of(project, Role.ADMIN)
    member = member_of(project, Role.VIEWER)
    _, link = _invite(_browser(admin), project, "m@example.com")
    assert _browser(member).post(link).status_code == 409
    assert Membership.objects.get(user=member, organization=project.organization).role == Role.VIEWER
    assert _browser(UserFactory()).post(link).status_code == 302


def test_an_anonymous_visitor_is_sent_to_log_in_first(project: Project, member_of: Any) -> None:
    admin = member_of(project, Role.ADMIN)
    _, link = _invite(_browser(admin), project, "n@example.com")
    response = Client().get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") or "login" in response["Location"]


def test_an_email_invitation_made_on_the_members_page_is_emailed_with_its_link(
    project: Project, member_of: Any, mailoutbox: list[Any]
) -> None:
    admin = member_of(project, Role.ADMIN)

    response, link = _invite(_browser(admin), project, "ada@example.com")

    (sent,) = mailoutbox
    assert sent.to == ["ada@example.com"]
    assert f"http://testserver{link}" in sent.body
    assert "created and e-mailed with the link" in response.content.decode()

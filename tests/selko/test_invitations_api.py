"""The invitations API: an organization's admins list, create and revoke invitations; an invitation for
an email address is e-mailed, and one the mail server refuses still stands."""

import socket
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from selko.api.throttling import ScopedWriteRateThrottle
from selko.audit.models import AuditEvent
from selko.tenancy.models import Invitation, Membership, Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _member(organization: Organization, role: Role) -> Any:
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=role)
    return user


def _url(organization: Organization, invitation_id: int | None = None) -> str:
    base = f"/api/v1/organizations/{organization.slug}/invitations/"
    return f"{base}{invitation_id}/" if invitation_id is not None else base


def _accept(link: str, user: Any) -> int:
    browser = Client()
    browser.force_login(user)
    return browser.post(link.removeprefix("http://testserver")).status_code


def _closed_port() -> int:
    # A port nothing listens on: connecting is refused at once, as with a mail server that is down.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_admin_invites_an_email_address_the_email_carries_the_link_and_it_is_accepted_once(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    # given an admin of an organization
    organization = OrganizationFactory(name="Rail Co")
    admin = _member(organization, Role.ADMIN)

    # when they invite an address as an editor
    created = _api(admin).post(_url(organization), {"recipient": "ada@example.com", "role": "editor"})

    # then the answer says it was e-mailed, with the link, and the e-mail carries the same link
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["recipient"], body["role"], body["created_by"]) == (
        "ada@example.com",
        "editor",
        admin.username,
    )
    assert body["email_status"] == "sent"
    assert body["message"] == "Invitation for ada@example.com created and e-mailed with the link."
    assert body["link"].startswith("http://testserver/invitations/")
    (sent,) = mailoutbox
    assert sent.to == ["ada@example.com"]
    assert sent.subject == "Invitation to join Rail Co on Selko"
    assert body["link"] in sent.body
    assert f"{admin.username} invites you to join Rail Co on Selko as editor." in sent.body
    # and it is listed as pending until someone logged in accepts it through the link, once
    listed = _api(admin).get(_url(organization)).json()
    assert (listed["count"], listed["results"][0]["id"]) == (1, body["id"])
    assert "link" not in listed["results"][0]  # only its hash is stored
    ada, late = UserFactory(), UserFactory()
    assert _accept(body["link"], ada) == 302
    assert _accept(body["link"], late) == 404
    assert Membership.objects.get(user=ada, organization=organization).role == Role.EDITOR
    assert not Membership.objects.filter(user=late).exists()
    assert _api(admin).get(_url(organization)).json()["count"] == 0


def test_an_invitation_for_a_username_is_not_emailed_and_gives_the_link(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    organization = OrganizationFactory()
    admin = _member(organization, Role.ADMIN)

    created = _api(admin).post(_url(organization), {"recipient": "grace"})

    assert created.status_code == 201
    body = created.json()
    assert (body["email_status"], body["role"]) == ("not_an_email", "viewer")
    assert "send them the link" in body["message"]
    assert mailoutbox == []
    grace = UserFactory(username="grace")
    assert _accept(body["link"], grace) == 302
    assert Membership.objects.get(user=grace, organization=organization).role == Role.VIEWER


def test_a_mail_server_that_refuses_does_not_lose_the_invitation_and_the_answer_says_so(
    settings: Settings,
) -> None:
    # given a real SMTP backend pointed at a mail server that is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    organization = OrganizationFactory()
    admin = _member(organization, Role.ADMIN)

    created = _api(admin).post(_url(organization), {"recipient": "bob@example.com"})

    # then the invitation is created, the answer says the e-mail failed, and the link works
    assert created.status_code == 201
    body = created.json()
    assert body["email_status"] == "failed"
    assert body["message"] == (
        "Invitation for bob@example.com created, but the e-mail could not be sent "
        "(ConnectionRefusedError). The invitation stands: send them the link yourself."
    )
    assert Invitation.objects.get().recipient == "bob@example.com"
    assert _api(admin).get(_url(organization)).json()["count"] == 1
    bob = UserFactory()
    assert _accept(body["link"], bob) == 302
    assert Membership.objects.filter(user=bob, organization=organization).exists()


def test_an_admin_revokes_an_invitation_and_its_link_is_dead() -> None:
    organization = OrganizationFactory()
    admin = _member(organization, Role.ADMIN)
    body = _api(admin).post(_url(organization), {"recipient": "eve@example.com"}).json()

    revoked = _api(admin).delete(_url(organization, body["id"]))
    again = _api(admin).delete(_url(organization, body["id"]))

    assert revoked.status_code == 204
    assert again.status_code == 404
    assert not Invitation.objects.exists()
    assert _accept(body["link"], UserFactory()) == 404
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_a_member_who_is_not_an_admin_gets_403_and_nothing_changes(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    organization = OrganizationFactory()
    admin = _member(organization, Role.ADMIN)
    pending = _api(admin).post(_url(organization), {"recipient": "pending@example.com"}).json()
    mailoutbox.clear()
    editor = _api(_member(organization, Role.EDITOR))

    listed = editor.get(_url(organization))
    created = editor.post(_url(organization), {"recipient": "x@example.com", "role": "admin"})
    revoked = editor.delete(_url(organization, pending["id"]))

    assert listed.status_code == created.status_code == revoked.status_code == 403
    assert created.json()["error"]["details"] == {"required_role": "admin", "your_role": "editor"}
    assert list(Invitation.objects.values_list("recipient", flat=True)) == ["pending@example.com"]
    assert mailoutbox == []


def test_another_organizations_admin_gets_404_and_nothing_changes(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    organization = OrganizationFactory()
    admin = _member(organization, Role.ADMIN)
    pending = _api(admin).post(_url(organization), {"recipient": "pending@example.com"}).json()
    mailoutbox.clear()
    stranger = _api(_member(OrganizationFactory(), Role.ADMIN))

    answers = [
        stranger.get(_url(organization)),
        stranger.post(_url(organization), {"recipient": "x@example.com"}),
        stranger.delete(_url(organization, pending["id"])),
        stranger.get(_url(OrganizationFactory.build(slug="no-such-org"))),
    ]

    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]
    assert list(Invitation.objects.values_list("recipient", flat=True)) == ["pending@example.com"]
    assert mailoutbox == []


def test_an_invitation_of_another_organization_cannot_be_revoked_through_ones_own(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    organization, own = OrganizationFactory(), OrganizationFactory()
    pending = _api(_member(organization, Role.ADMIN)).post(_url(organization), {"recipient": "p@example.com"})
    other_admin = _api(_member(own, Role.ADMIN))

    answer = other_admin.delete(_url(own, pending.json()["id"]))

    assert answer.status_code == 404
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"recipient": "ada@"}, "recipient"),
        ({"recipient": ""}, "recipient"),
        ({"recipient": "a" * 255}, "recipient"),
        ({"recipient": "ada@example.com", "role": "owner"}, "role"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_is_created(
    data: dict[str, str], field: str, mailoutbox: list[mail.EmailMessage]
) -> None:
    organization = OrganizationFactory()
    admin = _member(organization, Role.ADMIN)

    answer = _api(admin).post(_url(organization), data)

    assert answer.status_code == 400
    assert field in answer.json()["error"]["details"]
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_the_schema_documents_the_invitation_operations_and_the_paginated_list() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    listing = paths["/api/v1/organizations/{organization_slug}/invitations/"]
    assert {listing["get"]["operationId"], listing["post"]["operationId"]} == {
        "invitations_list",
        "invitations_create",
    }
    page = listing["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert page == {"$ref": "#/components/schemas/PaginatedInvitationOutputList"}
    created = listing["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/InvitationCreatedOutput"}
    detail = paths["/api/v1/organizations/{organization_slug}/invitations/{invitation_id}/"]
    assert detail["delete"]["operationId"] == "invitations_revoke"


def test_invitations_beyond_the_rate_are_refused_and_nothing_is_sent(
    monkeypatch: pytest.MonkeyPatch, mailoutbox: list[mail.EmailMessage]
) -> None:
    # given a rate of 2 invitations an hour, used up by an admin
    monkeypatch.setattr(ScopedWriteRateThrottle, "THROTTLE_RATES", {"invitations": "2/hour"})
    organization = OrganizationFactory()
    admin = _api(_member(organization, Role.ADMIN))
    accepted = [
        admin.post(_url(organization), {"recipient": f"p{n}@example.com"}).status_code for n in range(2)
    ]

    # when they invite once more, then list the invitations
    refused = admin.post(_url(organization), {"recipient": "spam@example.com"})
    listed = admin.get(_url(organization))

    # then only the third is refused, nothing is created or sent for it, and listing still works
    assert accepted == [201, 201]
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert listed.status_code == 200 and listed.json()["count"] == 2
    assert [message.to for message in mailoutbox] == [["p0@example.com"], ["p1@example.com"]]

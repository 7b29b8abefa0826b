"""Reads scoped to the user's memberships. A project outside them does not exist for that user."""

from django.contrib.auth.models import User
from django.db.models import F, QuerySet

from selko.errors import NotFound
from selko.request_types import AnyUser
from selko.tenancy.models import ROLE_RANK, Membership, Organization, Project, Role


def organization_list_for_user(*, user: AnyUser) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def organization_get_for_user(*, user: AnyUser, slug: str) -> Organization:
    try:
        return organization_list_for_user(user=user).get(slug=slug)
    except Organization.DoesNotExist:
        raise NotFound(f"No organization '{slug}'.") from None


def project_list_for_user(*, user: AnyUser) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    # The membership the filter joins also gives the user's role (read by role_for_project), saving
    # every page a query for it.
    return (
        Project.objects.filter(organization__memberships__user=user)
        .annotate(
            membership_user_id=F("organization__memberships__user_id"),
            membership_role=F("organization__memberships__role"),
        )
        .select_related("organization")
    )


def project_get_for_user(*, user: AnyUser, slug: str) -> Project:
    try:
        return project_list_for_user(user=user).get(slug=slug)
    except Project.DoesNotExist:
        raise NotFound(f"No project '{slug}'.") from None


def role_for_organization(*, user: AnyUser, organization: Organization) -> Role | None:
    if not user.is_authenticated:
        return None
    role = (
        Membership.objects.filter(user=user, organization=organization).values_list("role", flat=True).first()
    )
    return Role(role) if role else None


def role_for_project(*, user: AnyUser, project: Project) -> Role | None:
    role_read_with_project: str | None = getattr(project, "membership_role", None)
    if (
        user.is_authenticated
        and role_read_with_project
        and getattr(project, "membership_user_id", None) == user.pk
    ):
        return Role(role_read_with_project)  # read with the project (project_list_for_user)
    return role_for_organization(user=user, organization=project.organization)


def user_has_role(*, user: AnyUser, project: Project, minimum: Role) -> bool:
    role = role_for_project(user=user, project=project)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]


def membership_candidates(*, actor: AnyUser, organization: Organization) -> QuerySet[User]:
    """Who an admin of `organization` may add directly: people the admin already shares an organization
    with. Site staff (superusers) may add anyone. Everyone else joins by invitation (selko.tenancy.
    invitations): the add form must not tell whether a username exists anywhere else, accounts without
    an organization included.
    """
    active = User.objects.filter(is_active=True).exclude(memberships__organization=organization)
    if not actor.is_authenticated:
        return User.objects.none()
    if actor.is_superuser:
        return active
    colleagues = Membership.objects.filter(organization__memberships__user=actor).values("user_id")
    return active.filter(pk__in=colleagues)

"""Writes for organizations, memberships and projects."""

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from selko.audit.services import audit_record
from selko.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from selko.request_types import AnyUser
from selko.tenancy.models import Membership, Organization, Project, Role
from selko.tenancy.selectors import (
    membership_candidates,
    role_for_organization,
    role_for_project,
    user_has_role,
)


def require_role(*, user: AnyUser, project: Project, minimum: Role, action: str) -> None:
    """Refuse `action` unless the user's role in the project's organization is at least `minimum`."""
    if not user_has_role(user=user, project=project, minimum=minimum):
        raise PermissionDenied(
            f"You need the {minimum.label.lower()} role to {action}.",
            details={
                "required_role": str(minimum),
                "your_role": str(role_for_project(user=user, project=project)),
            },
        )


def _unique_slug(model: type[Organization] | type[Project], name: str) -> str:
    base = slugify(name)[:60] or "project"
    slug, suffix = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


@transaction.atomic
def organization_create(*, name: str, owner: User) -> Organization:
    name = name.strip()
    if not name:
        raise ValidationFailed("An organization needs a name.")
    organization = Organization.objects.create(name=name, slug=_unique_slug(Organization, name))
    Membership.objects.create(user=owner, organization=organization, role=Role.ADMIN)
    audit_record(actor=owner, action="organization.created", target=organization, organization=organization)
    return organization


@transaction.atomic
def membership_set(*, actor: User | None, organization: Organization, user: User, role: Role) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    audit_record(
        actor=actor,
        action="membership.set",
        target=membership,
        organization=organization,
        details={"user": user.get_username(), "role": str(role)},
    )
    return membership


def project_create(
    *, user: AnyUser, organization: Organization | None, name: str, description: str = ""
) -> Project:
    """Create a project in one of the user's organizations (editor role or above)."""
    if organization is None:
        organizations = (
            list(Organization.objects.filter(memberships__user=user)) if user.is_authenticated else []
        )
        if len(organizations) != 1:
            raise ValidationFailed(
                "Say which organization the project belongs to.",
                details={"organization": [o.slug for o in organizations]},
            )
        organization = organizations[0]
    role = role_for_organization(user=user, organization=organization)
    if role is None:
        raise NotFound("No such organization.")
    if role == Role.VIEWER:
        raise PermissionDenied("You need the editor role to create a project.")
    name = name.strip()
    if not name:
        raise ValidationFailed("A project needs a name.", details={"name": ["This field is required."]})
    if Project.objects.filter(organization=organization, name__iexact=name).exists():
        raise Conflict(f"A project named '{name}' already exists.", details={"name": ["Already taken."]})
    try:
        with transaction.atomic():
            project = Project.objects.create(
                organization=organization,
                name=name,
                slug=_unique_slug(Project, name),
                description=description.strip(),
                created_by=user if user.is_authenticated else None,
            )
            audit_record(actor=user, action="project.created", target=project, project=project)
    except IntegrityError:
        raise Conflict(f"A project named '{name}' already exists.") from None
    return project


def require_admin(*, actor: AnyUser, organization: Organization, action: str) -> None:
    role = role_for_organization(user=actor, organization=organization)
    if role is None:
        raise NotFound("No such organization.")
    if role != Role.ADMIN:
        raise PermissionDenied(
            f"You need the admin role to {action}.",
            details={"required_role": "admin", "your_role": str(role)},
        )


def _refuse_losing_last_admin(*, membership: Membership, new_role: Role | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    admins = Membership.objects.filter(organization=membership.organization, role=Role.ADMIN).count()
    if admins <= 1:
        raise Conflict("An organization keeps at least one admin: make someone else admin first.")


@transaction.atomic
def membership_add(*, actor: AnyUser, organization: Organization, username: str, role: Role) -> Membership:
    """An admin adds an existing account with a role, if `membership_candidates` allows it.

    A username of someone in another organization only, and a username nobody has, get the same refusal,
    word for word: the form must not reveal who has an account elsewhere.
    """
    require_admin(actor=actor, organization=organization, action="add members")
    username = username.strip()
    member = Membership.objects.filter(organization=organization, user__username__iexact=username).first()
    if member is not None:  # the admin sees the member list anyway
        raise Conflict(f"{username} is already a member.", details={"username": ["Already a member."]})
    user = (
        membership_candidates(actor=actor, organization=organization)
        .filter(username__iexact=username)
        .first()
    )
    if user is None:
        raise NotFound(
            f"No one called '{username}' can be added: only people of your other organizations can. "
            "Invite anyone else.",
            details={"username": ["Not among the people you can add."]},
        )
    return membership_set(actor=actor, organization=organization, user=user, role=role)  # type: ignore[arg-type]


def _membership_for_admin(
    *, actor: AnyUser, organization: Organization, membership_id: int, action: str
) -> Membership:
    require_admin(actor=actor, organization=organization, action=action)
    membership = (
        Membership.objects.select_for_update()
        .filter(organization=organization, pk=membership_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise NotFound("No such member.")
    return membership


@transaction.atomic
def membership_role_change(
    *, actor: AnyUser, organization: Organization, membership_id: int, role: Role
) -> Membership:
    membership = _membership_for_admin(
        actor=actor, organization=organization, membership_id=membership_id, action="change roles"
    )
    _refuse_losing_last_admin(membership=membership, new_role=role)
    return membership_set(actor=actor, organization=organization, user=membership.user, role=role)  # type: ignore[arg-type]


@transaction.atomic
def membership_remove(*, actor: AnyUser, organization: Organization, membership_id: int) -> None:
    membership = _membership_for_admin(
        actor=actor, organization=organization, membership_id=membership_id, action="remove members"
    )
    _refuse_losing_last_admin(membership=membership, new_role=None)
    audit_record(
        actor=actor,
        action="membership.removed",
        target=membership,
        organization=organization,
        details={"user": membership.user.get_username(), "role": membership.role},
    )
    membership.delete()

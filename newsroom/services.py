"""Roles and accounts, signed preview links, and the editors' landing page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from articles.models import Article, Author
from audience.services import most_read
from comments.models import Comment
from core.models import SiteSettings
from newsroom.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Account = User | AnonymousUser

# -- Roles ------------------------------------------------------------------------

_ALL = ("add", "change", "delete", "view")

#: What each role may do, as "app_label.codename" or "app_label.model" (all
#: four model permissions). Each role has the ones of the roles below it.
#: Object rules (own stories only, no publishing) are the article admin's,
#: from the permissions publish_article and edit_others_article.
_WRITER = [
    "articles.article",
    "articles.view_category",
    "articles.view_tag",
    "articles.view_author",
    "audience.view_dailyreads",
    # The media library: upload, choose, and change their own images.
    "media.add_image",
    "media.view_image",
    "media.change_image",
]
_AUTHOR = ["articles.publish_article"]
_EDITOR = [
    "articles.edit_others_article",
    "articles.correction",
    "articles.category",
    "articles.tag",
    "articles.author",
    "comments.comment",
    "subscriptions.subscriber",
    "subscriptions.view_delivery",
    "subscriptions.change_delivery",
    "subscriptions.view_digest",
    "subscriptions.view_digestdelivery",
    "audience.relatedchoice",
    "flatpages.flatpage",
    "media.delete_image",
    "media.edit_others_image",
]
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CONTRIBUTOR: _WRITER,
    Role.AUTHOR: [*_WRITER, *_AUTHOR],
    Role.EDITOR: [*_WRITER, *_AUTHOR, *_EDITOR],
    Role.ADMINISTRATOR: ["*"],  # and the superuser flag: accounts, settings, imports
}


def _permissions(names: list[str]) -> Q:
    if names == ["*"]:
        return Q()
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        if "_" in codename:
            query |= Q(content_type__app_label=app_label, codename=codename)
        else:  # a model: its four permissions
            codenames = [f"{action}_{codename}" for action in _ALL]
            query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return query


def sync_roles() -> None:
    """Give each role's group exactly its permissions (creating the group)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.group_name)
        group.permissions.set(Permission.objects.filter(_permissions(names)))


def roles_after_migrate(*, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: make every app's permissions first (Django makes each
    app's after its own migrations, and some apps come after this one)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()


def role_of(user: Account) -> Role | None:
    """The account's role: the highest of its groups; superusers administer."""
    if not user.is_active or not user.is_staff:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    names = {group.name for group in user.groups.all()}  # prefetched in lists
    held = [role for role in Role if role.group_name in names]
    return held[-1] if held else None


@transaction.atomic
def set_role(user: User, role: Role | None) -> None:
    """Give the account this role (None: no access to the back office)."""
    user.is_staff = role is not None
    user.is_superuser = role == Role.ADMINISTRATOR
    user.save(update_fields=["is_staff", "is_superuser"])
    user.groups.remove(*Group.objects.filter(name__in=[r.group_name for r in Role]))
    if role is not None:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        user.groups.add(group)
        if role.writes:
            ensure_byline(user)


def ensure_byline(user: User) -> Author:
    """The account's author profile, made from its name when it has none."""
    existing = Author.objects.filter(user=user).first()
    if existing is not None:
        return existing
    name = user.get_full_name() or user.get_username()
    base = slugify(name)[:100] or "author"
    slug, n = base, 1
    while Author.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Author.objects.create(display_name=name, slug=slug, user=user)


def create_account(
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    username: str = "",
) -> User:
    """A new back-office account with its role (and byline if it writes).
    Raises ValidationError with a message for the person at the shell."""
    UserModel = get_user_model()
    email = email.strip()
    name = " ".join(name.split())
    validate_email(email)
    if not name:
        raise ValidationError("Give the person's name (--name).")
    username = username.strip() or email.split("@", 1)[0]
    if UserModel.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"An account with the email {email} exists already.")
    if UserModel.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            f"The username {username} is taken; choose another with --username."
        )
    first, _sep, last = name.partition(" ")
    user = UserModel(username=username, email=email, first_name=first, last_name=last)
    password_validation.validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        set_role(user, role)
    return user


def back_office_name() -> str:
    """The admin's header and title: the newsroom's name."""
    return SiteSettings.load().site_name


# -- Preview links ----------------------------------------------------------------

PREVIEW_SALT = "newsroom.preview"


def preview_url(article: Article) -> str:
    """A link to the unpublished story that opens without an account, for
    PREVIEW_LINK_HOURS."""
    token = signing.TimestampSigner(salt=PREVIEW_SALT).sign(str(article.pk))
    return settings.SITE_URL + reverse("newsroom:preview", kwargs={"token": token})


def preview_expires(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=settings.PREVIEW_LINK_HOURS)


def read_preview_token(token: str) -> int:
    """The article id a preview token was made for. Raises SignatureExpired
    after PREVIEW_LINK_HOURS, BadSignature when it was not made here."""
    value = signing.TimestampSigner(salt=PREVIEW_SALT).unsign(
        token, max_age=dt.timedelta(hours=settings.PREVIEW_LINK_HOURS)
    )
    if not value.isdigit():
        raise signing.BadSignature("not an article")
    return int(value)


# -- The editors' landing page ----------------------------------------------------

DASHBOARD_ROWS = 8


@dataclass
class Dashboard:
    my_drafts: list[Article]
    waiting: list[Article]
    scheduled: list[Article]
    waiting_count: int
    held_comments: list[Comment] | None = None  # None: may not moderate
    held_count: int = 0
    most_read_today: list[tuple[Article, int]] = field(default_factory=list)


def dashboard(user: Account) -> Dashboard:
    """What an editor (or writer) needs first: their drafts, the stories
    waiting for review and scheduled next, held comments, today's most read."""
    mine = Article.objects.owned_by(user).select_related("category")
    open_to = Article.objects.open_to(user).select_related("author", "category")
    waiting = open_to.awaiting_review().order_by("-updated_at")
    board = Dashboard(
        my_drafts=list(mine.drafts().order_by("-updated_at")[:DASHBOARD_ROWS]),
        waiting=list(waiting[:DASHBOARD_ROWS]),
        waiting_count=waiting.count(),
        scheduled=list(open_to.scheduled()[:DASHBOARD_ROWS]),
        most_read_today=most_read(1, limit=DASHBOARD_ROWS),
    )
    if user.has_perm("comments.change_comment"):
        held = Comment.objects.pending().select_related("article")
        board.held_comments = list(held.order_by("-created_at")[:DASHBOARD_ROWS])
        board.held_count = held.count()
    return board

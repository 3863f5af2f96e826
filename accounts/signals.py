"""Receivers that write the audit log and keep sessions and lockouts, connected
in AccountsConfig.ready(). Other apps' models are named by label, so this app
imports none of the capability apps."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.forms.models import model_to_dict
from django.http import HttpRequest

from accounts.models import UserSession
from accounts.services import (
    HAD_TWO_FACTOR,
    LOGIN_AT,
    Action,
    address_of,
    audit,
    current_request,
    has_two_factor,
    normalise_username,
    record_failure,
    record_success,
    track_session,
)
from articles.models import Article
from articles.signals import article_published

#: The newsroom's settings pages (one row each): every change is logged.
SETTINGS_MODELS = [
    "core.SiteSettings",
    "comments.DiscussionSettings",
    "subscriptions.MailingSettings",
    "audience.RelatedSettings",
    "accounts.SecuritySettings",
]
#: What an account change records (never the password's hash).
USER_FIELDS = [
    "username",
    "email",
    "first_name",
    "last_name",
    "is_active",
    "is_staff",
    "is_superuser",
]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    return str(value)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if _plain(before.get(name)) != _plain(value)
    }


# -- Sign-ins -------------------------------------------------------------------------


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    record_success(user.get_username(), address_of(request))
    request.session[LOGIN_AT] = int(time.time())
    request.session[HAD_TWO_FACTOR] = has_two_factor(user)
    if user.is_staff:
        request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
    track_session(request, user)
    audit(Action.LOGIN, actor=user, request=request)


def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    if request is None or user is None:
        return
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()
    audit(Action.LOGOUT, actor=user, request=request)


def on_login_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kw: Any,
) -> None:
    if request is None:
        return
    name = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get(
        "username", ""
    )
    name = normalise_username(name)
    if getattr(request, "accounts_locked_until", None) is not None:
        audit(Action.LOGIN_LOCKED, actor_name=name, request=request)
        return
    audit(Action.LOGIN_FAILED, actor_name=name, request=request)
    started = record_failure(name, address_of(request))
    if started is not None:
        request.accounts_locked_until = started  # type: ignore[attr-defined]


# -- Articles -------------------------------------------------------------------------


def article_before(sender: Any, instance: Article, **kw: Any) -> None:
    if current_request.get() is None or instance.pk is None:
        return
    old = Article.objects.filter(pk=instance.pk).values_list("status", flat=True)
    instance._audit_status = old.first()  # type: ignore[attr-defined]


def article_after(sender: Any, instance: Article, created: bool, **kw: Any) -> None:
    """Publishing and unpublishing by staff in the admin (a request)."""
    if current_request.get() is None:
        return
    published = Article.Status.PUBLISHED
    old = getattr(instance, "_audit_status", None)
    details = {"status": [old, instance.status]}
    if instance.status == published and (created or old != published):
        audit(Action.ARTICLE_PUBLISHED, obj=instance, details=details)
    elif old == published and instance.status != published:
        audit(Action.ARTICLE_UNPUBLISHED, obj=instance, details=details)


def article_went_live(sender: Any, article_id: int, **kw: Any) -> None:
    """Scheduled articles, flipped by the task worker (no request)."""
    if current_request.get() is not None:
        return  # published by staff: logged by article_after
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        audit(Action.ARTICLE_PUBLISHED, obj=article, details={"by": "schedule"})


def article_deleted(sender: Any, instance: Article, **kw: Any) -> None:
    audit(
        Action.ARTICLE_DELETED,
        obj=instance,
        details={"status": instance.status, "slug": instance.slug},
    )


# -- Accounts, groups, permissions ---------------------------------------------------


def user_before(
    sender: Any, instance: Any, update_fields: Any = None, **kw: Any
) -> None:
    if instance.pk is None or (update_fields and set(update_fields) == {"last_login"}):
        return
    before = sender.objects.filter(pk=instance.pk).values(*USER_FIELDS).first()
    instance._audit_before = before or {}


def user_after(sender: Any, instance: Any, created: bool, **kw: Any) -> None:
    if created:
        # Its first password is saved in the same save(): not a change.
        instance._accounts_created = instance._password is not None
        after = model_to_dict(instance, fields=USER_FIELDS)
        audit(Action.USER_CREATED, obj=instance, details=after)
        return
    before = getattr(instance, "_audit_before", None)
    if before is None:
        return
    del instance._audit_before
    changes = _changes(before, model_to_dict(instance, fields=USER_FIELDS))
    if changes:
        audit(Action.USER_CHANGED, obj=instance, details=changes)


def user_deleted(sender: Any, instance: Any, **kw: Any) -> None:
    audit(Action.USER_DELETED, obj=instance, details={"username": instance.username})


def _m2m_logger(action: str, field: str) -> Any:
    def receiver(
        sender: Any,
        instance: Any,
        action: str,
        model: type[models.Model],
        pk_set: set[Any] | None,
        reverse: bool,
        **kw: Any,
    ) -> None:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        names = sorted(
            str(o) for o in model._default_manager.filter(pk__in=pk_set or ())
        )
        details = {"change": action.removeprefix("post_"), field: names}
        audit(log_action, obj=instance, details=details)

    log_action = action
    return receiver


def group_saved(sender: Any, instance: Group, created: bool, **kw: Any) -> None:
    audit(Action.GROUP_CHANGED, obj=instance, details={"created": created})


def group_deleted(sender: Any, instance: Group, **kw: Any) -> None:
    audit(Action.GROUP_DELETED, obj=instance)


# -- Settings and imports -------------------------------------------------------------


def settings_before(sender: Any, instance: models.Model, **kw: Any) -> None:
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = model_to_dict(old) if old is not None else {}  # type: ignore[attr-defined]


def settings_after(
    sender: Any, instance: models.Model, created: bool, **kw: Any
) -> None:
    if created:
        return  # the first row, made with the defaults on first use
    before = getattr(instance, "_audit_before", {})
    changes = _changes(before, model_to_dict(instance))
    if changes:
        audit(Action.SETTINGS_CHANGED, obj=instance, details=changes)


def import_started(sender: Any, instance: Any, created: bool, **kw: Any) -> None:
    if created:
        details = {
            "file": instance.file.name,
            "media_dir": instance.media_dir,
            "dry_run": instance.dry_run,
        }
        audit(Action.IMPORT_STARTED, obj=instance, details=details)


def connect() -> None:
    uid = "accounts-audit"
    user_logged_in.connect(on_login, dispatch_uid=f"{uid}-login")
    user_logged_out.connect(on_logout, dispatch_uid=f"{uid}-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}-failed")
    pre_save.connect(article_before, sender=Article, dispatch_uid=f"{uid}-a1")
    post_save.connect(article_after, sender=Article, dispatch_uid=f"{uid}-a2")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=f"{uid}-a3")
    article_published.connect(article_went_live, dispatch_uid=f"{uid}-a4")
    User = get_user_model()
    pre_save.connect(user_before, sender=User, dispatch_uid=f"{uid}-u1")
    post_save.connect(user_after, sender=User, dispatch_uid=f"{uid}-u2")
    post_delete.connect(user_deleted, sender=User, dispatch_uid=f"{uid}-u3")
    for through, action, field in [
        (User.groups.through, Action.GROUPS_CHANGED, "groups"),
        (User.user_permissions.through, Action.PERMISSIONS_CHANGED, "permissions"),
        (Group.permissions.through, Action.PERMISSIONS_CHANGED, "permissions"),
    ]:
        m2m_changed.connect(
            _m2m_logger(action, field), sender=through, weak=False,
            dispatch_uid=f"{uid}-{through._meta.label_lower}",
        )  # fmt: skip
    post_save.connect(group_saved, sender=Group, dispatch_uid=f"{uid}-g1")
    post_delete.connect(group_deleted, sender=Group, dispatch_uid=f"{uid}-g2")
    for label in SETTINGS_MODELS:
        pre_save.connect(settings_before, sender=label, dispatch_uid=f"{uid}-{label}1")
        post_save.connect(settings_after, sender=label, dispatch_uid=f"{uid}-{label}2")
    post_save.connect(
        import_started, sender="importers.ImportRun", dispatch_uid=f"{uid}-import"
    )

"""Staff accounts' security: login lockouts, sessions, the audit log and the
newsroom's security settings."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.singleton import SingletonModel


class SecuritySettings(SingletonModel):
    """Account rules administrators set in the admin. There is one row."""

    cache_key = "accounts:security-settings:v1"

    require_two_factor = models.BooleanField(
        _("require two-factor authentication for staff"),
        default=False,
        help_text=_(
            "Every staff account must add an authenticator app before it can use "
            "the admin (also forced on by the STAFF_2FA_REQUIRED setting)"
        ),
    )

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")

    def __str__(self) -> str:
        return str(_("Security settings"))

    @classmethod
    def two_factor_required(cls) -> bool:
        if settings.STAFF_2FA_REQUIRED:
            return True
        row: SecuritySettings | None = cache.get(cls.cache_key)
        if row is None:
            # One query, no row created: asked on every page of unverified staff.
            row = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(cls.cache_key, row, 300)
        return row.require_two_factor


class LoginThrottle(models.Model):
    """Failed sign-ins of one (account, address) pair or of one address, and
    the lockout they earned. Each lockout doubles the next one's cool-off."""

    class Scope(models.TextChoices):
        PAIR = "pair", _("account from an address")
        ADDRESS = "address", _("address")

    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    key = models.CharField(
        _("key"), max_length=64, help_text=_("A digest of the account and address")
    )
    username = models.CharField(
        _("account name"), max_length=150, blank=True, help_text=_("e.g. editor")
    )
    address = models.CharField(
        _("address"), max_length=64, blank=True, help_text=_("e.g. 203.0.113.9")
    )
    failures = models.PositiveIntegerField(
        _("failures since the last lockout"), default=0
    )
    lockouts = models.PositiveIntegerField(_("lockouts in a row"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"), null=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login lockout")
        verbose_name_plural = _("login lockouts")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="throttle_key_uniq")
        ]
        indexes = [
            # The admin's list: the latest lockouts first.
            models.Index(fields=["-locked_until"], name="throttle_locked_idx"),
        ]

    def __str__(self) -> str:
        if self.scope == self.Scope.PAIR:
            return f"{self.username} from {self.address}"
        return self.address

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class UserSession(models.Model):
    """A signed-in session of an account, so that it can be ended from
    anywhere, whatever the session engine (database, cache, files)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tracked_sessions",
        verbose_name=_("account"),
    )
    session_key = models.CharField(_("session key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    address = models.CharField(_("address"), max_length=64, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"


class AuditEntry(models.Model):
    """One staff action that matters, or a sign-in event: who, when, what,
    on which object, from where."""

    class Action(models.TextChoices):
        LOGIN = "login", _("signed in")
        LOGOUT = "logout", _("signed out")
        LOGIN_FAILED = "login_failed", _("failed sign-in")
        LOGIN_LOCKED = "login_locked", _("sign-in refused: locked out")
        LOCKOUT = "lockout", _("lockout started")
        LOCKOUT_CLEARED = "lockout_cleared", _("lockout cleared")
        PASSWORD_RESET_REQUESTED = "password_reset", _("password reset requested")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        SESSIONS_ENDED = "sessions_ended", _("sessions ended")
        TWO_FACTOR_ENABLED = "2fa_enabled", _("two-factor turned on")
        TWO_FACTOR_DISABLED = "2fa_disabled", _("two-factor turned off")
        TWO_FACTOR_RESET = "2fa_reset", _("two-factor reset by an administrator")
        TWO_FACTOR_FAILED = "2fa_failed", _("wrong two-factor code")
        RECOVERY_CODES = "recovery_codes", _("new recovery codes")
        RECOVERY_CODE_USED = "recovery_code_used", _("recovery code used")
        ARTICLE_PUBLISHED = "article_published", _("article published")
        ARTICLE_UNPUBLISHED = "article_unpublished", _("article unpublished")
        ARTICLE_DELETED = "article_deleted", _("article deleted")
        USER_CREATED = "user_created", _("account created")
        USER_CHANGED = "user_changed", _("account changed")
        USER_DELETED = "user_deleted", _("account deleted")
        GROUPS_CHANGED = "groups_changed", _("groups of an account changed")
        PERMISSIONS_CHANGED = "permissions_changed", _("permissions changed")
        GROUP_CHANGED = "group_changed", _("group created or changed")
        GROUP_DELETED = "group_deleted", _("group deleted")
        SETTINGS_CHANGED = "settings_changed", _("settings changed")
        IMPORT_STARTED = "import_started", _("WordPress import started")
        SUBSCRIBERS_IMPORTED = "subscribers_imported", _("subscribers imported")
        SUBSCRIBERS_EXPORTED = "subscribers_exported", _("subscribers exported")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    actor_name = models.CharField(
        _("account name"),
        max_length=150,
        blank=True,
        help_text=_("As it was then, or as typed at a failed sign-in, e.g. editor"),
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    object_type = models.CharField(
        _("object type"),
        max_length=100,
        blank=True,
        help_text=_("e.g. articles.article"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    details = models.JSONField(
        _("details"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    address = models.CharField(_("address"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [
            # The admin's list filtered by action, newest first.
            models.Index(fields=["action", "-at"], name="audit_action_idx"),
            # One account's history, newest first.
            models.Index(fields=["actor", "-at"], name="audit_actor_idx"),
            # The unfiltered list, newest first.
            models.Index(fields=["-at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

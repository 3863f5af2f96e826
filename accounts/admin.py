"""The audit log and lockouts, read-only for administrators; security settings;
actions on accounts (end sessions, reset two-factor)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import AuditEntry, LoginThrottle, SecuritySettings
from accounts.services import Action, audit

# django-otp's own admins show each device's secret and let anyone with the
# permission add devices for others; two-factor is managed on the account's
# Security page, and reset by the action below or `manage.py reset_two_factor`.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Readable by those with the "view audit log entry" permission
    (superusers; later the administrators' group), by nobody else."""

    list_display = ["at", "actor_name", "action", "object_repr", "address"]
    list_filter = ["action", "at"]
    search_fields = ["actor_name", "object_repr", "address"]
    date_hierarchy = "at"
    fields = (
        "at",
        "actor",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "details_table",
        "address",
    )
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="details")
    def details_table(self, obj: AuditEntry) -> SafeString:
        rows = ((k, v) for k, v in sorted(obj.details.items()))
        return format_html_join("\n", "<div><b>{}</b>: {}</div>", rows)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(ReadOnlyAdmin):
    list_display = (
        "scope",
        "username",
        "address",
        "failures",
        "lockouts",
        "last_failure_at",
        "locked_until",
    )
    list_filter = ["scope"]
    search_fields = ["username", "address"]
    readonly_fields = list_display
    exclude = ["key"]
    actions = ["unlock"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("accounts.delete_loginthrottle")

    def get_actions(
        self,
        request: HttpRequest,
        action_location: ActionLocation = ActionLocation.CHANGE_LIST,
    ) -> Any:
        # Deleting a row would lift a lockout without the audit entry.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Lift the selected lockouts", permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[LoginThrottle]) -> None:
        for row in queryset:
            audit(
                Action.LOCKOUT_CLEARED,
                obj=row,
                details={"username": row.username, "address": row.address},
            )
        count, _ = queryset.delete()
        messages.success(request, f"Lifted {count} lockout(s).")


@admin.register(SecuritySettings)
class SecuritySettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SecuritySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


User = get_user_model()


class AccountAdmin(UserAdmin):
    """Django's account admin, with two actions for lost phones and stolen
    sessions."""

    actions = ["end_sessions", "reset_two_factor"]

    @admin.action(
        description="End every session (sign out everywhere)", permissions=["change"]
    )
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            keep = request.session.session_key if user == request.user else None
            ended = services.end_sessions(user, keep=keep)
            audit(Action.SESSIONS_ENDED, obj=user, details={"sessions_ended": ended})
        messages.success(request, "Their sessions are ended.")

    @admin.action(
        description="Reset two-factor (lost phone): remove app and recovery codes",
        permissions=["change"],
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for user in queryset:
            removed = services.remove_two_factor(user)
            ended = services.end_sessions(user)
            details = {"devices_removed": removed, "sessions_ended": ended}
            audit(Action.TWO_FACTOR_RESET, obj=user, details=details)
        messages.success(
            request, "Two-factor is reset: they set it up again at their next sign-in."
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)

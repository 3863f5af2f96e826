"""A password "validator" that validates nothing: Django calls every
validator's password_changed() whenever a password is saved (admin forms,
password reset, `changepassword`, set_password() then save()), which is the
one place that sees every password change."""

from __future__ import annotations

from typing import Any

from accounts.services import Action, audit, current_request, end_sessions


class EndSessionsOnPasswordChange:
    """End the account's other sessions when its password changes."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        request = current_request.get()
        keep = None
        if request is not None and getattr(request, "user", None) == user:
            keep = request.session.session_key  # the one changing it stays in
        ended = end_sessions(user, keep=keep)
        if getattr(user, "_accounts_created", False):
            user._accounts_created = False
            return  # a new account's first password (its creation is logged)
        audit(Action.PASSWORD_CHANGED, obj=user, details={"sessions_ended": ended})

    def get_help_text(self) -> str:
        return ""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.services import clean_token

_APP_CODE = re.compile(r"[0-9]{6}")
_RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


class TokenForm(forms.Form):
    """The second step of signing in: a code from the app, or a recovery code."""

    token = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The 6 digits your authenticator app shows, or a recovery code"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "size": 12}
        ),
    )
    recovery_allowed = True

    def clean_token(self) -> str:
        token = clean_token(self.cleaned_data["token"])
        if _APP_CODE.fullmatch(token):
            return token
        if self.recovery_allowed and _RECOVERY_CODE.fullmatch(token):
            return token
        raise forms.ValidationError(
            _("Enter the 6 digits from your authenticator app")
            if not self.recovery_allowed
            else _(
                "Enter the 6 digits from your authenticator app, or one of your "
                "recovery codes (8 letters and digits)"
            ),
            code="malformed",
        )


class EnrolForm(TokenForm):
    """Adding an app: its first code proves it holds the secret."""

    recovery_allowed = False


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password"))
        return password


class StaffPasswordResetForm(PasswordResetForm):
    """Only staff accounts sign in, so only they are sent a reset link."""

    def get_users(self, email: str) -> Any:
        return (user for user in super().get_users(email) if user.is_staff)

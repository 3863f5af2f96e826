"""The lockout check, run before Django's own backend by every authenticate()
call that has a request: the admin login, and any login view added later."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.services import address_of, locked_until


class LoginThrottleBackend(BaseBackend):
    """Refuse every sign-in of a locked (account, address) pair or address.

    It never signs anyone in: it either stops authentication (PermissionDenied,
    which Django reports as a failed login) or lets the next backend decide.
    The accounts middleware turns the refusal into a 429 page."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None  # a shell or a command: nothing to throttle
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        until = locked_until(username, address_of(request))
        if until is not None:
            request.accounts_locked_until = until  # type: ignore[attr-defined]
            raise PermissionDenied
        return None

    def get_user(self, user_id: Any) -> Any:
        """As Django's backend: a session names this backend when it is first
        in the list and a test (or Django) logs in without authenticate()."""
        return ModelBackend().get_user(user_id)

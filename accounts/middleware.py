"""Staff sessions: who is asking (for the audit log), the staff session's
age, two-factor for staff, lockout pages, and the admin's bulk actions on
subscribers (logged by their URL names)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.models import SecuritySettings
from accounts.services import (
    HAD_TWO_FACTOR,
    LOGIN_AT,
    TRACKED_KEY,
    Action,
    audit,
    current_request,
    has_two_factor,
    track_session,
)
from accounts.views import lockout_response

#: Admin pages a staff account may open before its second factor is set up.
OPEN_VIEWS = {
    "accounts_login",
    "accounts_verify",
    "accounts_two_factor_setup",
    "accounts_logout_everywhere",
    "admin:logout",
    "admin:jsi18n",
    "admin_password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
#: Admin views whose use is logged: (view name, method) -> action.
LOGGED_VIEWS = {
    ("admin:subscriptions_subscriber_export", "GET"): Action.SUBSCRIBERS_EXPORTED,
    ("admin:subscriptions_subscriber_import", "POST"): Action.SUBSCRIBERS_IMPORTED,
}


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            until = getattr(request, "accounts_locked_until", None)
            if until is not None:
                return lockout_response(request, until)
            self._after(request, response)
            return response
        finally:
            current_request.reset(token)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        user: Any = request.user
        if not user.is_authenticated:
            return None
        if _expired(request, user):
            logout(request)
            return _to_login(request) if request.path.startswith("/admin/") else None
        if not user.is_staff or user.is_verified():
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        had = request.session.get(HAD_TWO_FACTOR)
        if had is None:  # a session from before: ask once
            had = request.session[HAD_TWO_FACTOR] = has_two_factor(user)
        if had:
            # Signed in without the second factor (a session from before it
            # was added): not good enough for anything staff can do.
            logout(request)
            return _to_login(request) if request.path.startswith("/admin/") else None
        admin_page = request.path.startswith("/admin/") and name not in OPEN_VIEWS
        if admin_page and SecuritySettings.two_factor_required():
            return HttpResponseRedirect(reverse("accounts_two_factor_setup"))
        return None

    def _after(self, request: HttpRequest, response: HttpResponseBase) -> None:
        match = request.resolver_match
        action = LOGGED_VIEWS.get(
            (match.view_name if match else "", request.method or "")
        )
        if action is not None and response.status_code == 200:
            audit(action, details=_request_details(request))
        session = getattr(request, "session", None)
        if session is None or not session.session_key:
            return
        user: Any = getattr(request, "user", None)
        if (
            user is not None
            and session.get(TRACKED_KEY) != session.session_key
            and user.is_authenticated
        ):
            track_session(request, user)  # new key: update_session_auth_hash


def _expired(request: HttpRequest, user: Any) -> bool:
    """A staff session older than STAFF_SESSION_SECONDS, however active."""
    if not user.is_staff:
        return False
    started = request.session.get(LOGIN_AT)
    if started is None:
        request.session[LOGIN_AT] = int(time.time())  # a session from before
        return False
    return bool(time.time() - started > settings.STAFF_SESSION_SECONDS)


def _to_login(request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts_login')}?{query}")


def _request_details(request: HttpRequest) -> dict[str, Any]:
    if request.method == "GET":
        return {"filters": {k: v[:200] for k, v in request.GET.items()}}
    files = [getattr(f, "name", "") for f in request.FILES.values()]
    return {"files": files, "consent": request.POST.get("consent", "")[:50]}

"""Signing in to the admin in two steps, the account's security page
(two-factor, recovery codes, sessions) and the password reset form."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, logout
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import (
    EnrolForm,
    PasswordConfirmForm,
    StaffPasswordResetForm,
    TokenForm,
)
from accounts.models import SecuritySettings, UserSession
from accounts.services import Action, address_of, audit
from core.models import SiteSettings
from lib import ratelimit

#: The session's note of a password checked, waiting for its second factor.
PENDING = "accounts_pending"
PENDING_SECONDS = 300


def lockout_response(request: HttpRequest, until: dt.datetime) -> HttpResponse:
    """429 in the site's style: when to try again, and why."""
    seconds = max(int((until - timezone.now()).total_seconds()), 1)
    context = {
        "site_name": SiteSettings.load().site_name,
        "until": until,
        "minutes": (seconds + 59) // 60,
    }
    response = TemplateResponse(request, "accounts/locked.html", context, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response.render()


def _admin_context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _safe_next(request: HttpRequest, target: str | None) -> str:
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else reverse("admin:index")


# -- Signing in ---------------------------------------------------------------------


@method_decorator(
    [sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch"
)
class LoginView(auth_views.LoginView):
    """The admin's login form; accounts with two-factor go on to the code."""

    form_class = AdminAuthenticationForm
    template_name = "admin/login.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if admin.site.has_permission(request):
            return HttpResponseRedirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_admin_context(self.request, _("Log in"), subtitle=None))
        context["app_path"] = self.request.get_full_path()
        context["username"] = self.request.user.get_username()
        if not context.get(REDIRECT_FIELD_NAME):
            context[REDIRECT_FIELD_NAME] = reverse("admin:index")
        return context

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")

    def form_valid(self, form: AdminAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if not services.has_two_factor(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("accounts_verify")


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app or a recovery code."""
    found = _pending_user(request)
    if found is None:
        messages.error(request, _("Please sign in again: the form had expired."))
        return redirect("accounts_login")
    user, pending = found
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = address_of(request)
        if until := services.locked_until(user.get_username(), address):
            audit(Action.LOGIN_LOCKED, actor_name=user.get_username())
            return lockout_response(request, until)
        device, wait = services.verify_token(user, form.cleaned_data["token"])
        if device is not None:
            return _signed_in(request, user, device, pending)
        if wait is not None:
            seconds = max(int((wait - timezone.now()).total_seconds()) + 1, 1)
            form.add_error(
                "token",
                _("Too many wrong codes in a row: wait %(s)d seconds, then try again.")
                % {"s": seconds},
            )
            context = _admin_context(request, _("Two-factor authentication"), form=form)
            return TemplateResponse(request, "accounts/verify.html", context)
        audit(Action.TWO_FACTOR_FAILED, actor_name=user.get_username())
        if until := services.record_failure(user.get_username(), address):
            return lockout_response(request, until)
        form.add_error(
            "token",
            _(
                "That code is not right, or was already used. App codes change "
                "every 30 seconds."
            ),
        )
    context = _admin_context(request, _("Two-factor authentication"), form=form)
    return TemplateResponse(request, "accounts/verify.html", context)


def _signed_in(
    request: HttpRequest, user: Any, device: Any, pending: dict[str, Any]
) -> HttpResponse:
    del request.session[PENDING]
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = services.recovery_codes_left(user)
        audit(Action.RECOVERY_CODE_USED, details={"left": left})
        messages.warning(
            request,
            _(
                "You signed in with a recovery code; %(left)d left. Each works "
                "once: make new ones on your Security page."
            )
            % {"left": left},
        )
    return HttpResponseRedirect(_safe_next(request, pending.get("next")))


# -- The account's security page ----------------------------------------------------


def _staff(view: Any) -> Any:
    return login_required(view, login_url="accounts_login")


@_staff
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context = _admin_context(
        request,
        _("Security of your account"),
        two_factor=services.has_two_factor(user),
        required=SecuritySettings.two_factor_required(),
        codes_left=services.recovery_codes_left(user),
        sessions=UserSession.objects.filter(user=user),
        current_key=request.session.session_key,
        disable_form=PasswordConfirmForm(user=user),
    )
    return TemplateResponse(request, "accounts/security.html", context)


@_staff
@sensitive_post_parameters("token")
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan, then type its first code."""
    user: Any = request.user
    if services.has_two_factor(user):
        return redirect("accounts_security")
    device = services.pending_totp_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            return _enrolled(request, device)
        form.add_error(
            "token", _("That code is not right. Check the app and try again.")
        )
    context = _admin_context(
        request,
        _("Set up two-factor authentication"),
        form=form,
        qr=_qr_data_uri(device),
        secret=_grouped(device),
        required=SecuritySettings.two_factor_required(),
    )
    return TemplateResponse(request, "accounts/two_factor_setup.html", context)


def _enrolled(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    user: Any = request.user
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    codes = services.new_recovery_codes(user)
    ended = services.end_sessions(user, keep=request.session.session_key)
    audit(Action.TWO_FACTOR_ENABLED, obj=user, details={"sessions_ended": ended})
    return _show_codes(request, codes)


def _show_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    context = _admin_context(request, _("Your recovery codes"), codes=codes)
    response = TemplateResponse(request, "accounts/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _qr_data_uri(device: TOTPDevice) -> str:
    """The app's setup address as a QR code, an SVG made here (no third party)."""
    qr = segno.make(device.config_url, error="m")
    return str(qr.svg_data_uri(scale=5, border=4, dark="#000", light="#fff"))


def _grouped(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@_staff
@require_POST
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not services.has_two_factor(user):
        return redirect("accounts_security")
    codes = services.new_recovery_codes(user)
    audit(Action.RECOVERY_CODES, obj=user)
    return _show_codes(request, codes)


@_staff
@require_POST
@sensitive_post_parameters("password")
@never_cache
def two_factor_off(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form: Form = PasswordConfirmForm(request.POST, user=user)
    if SecuritySettings.two_factor_required():
        messages.error(request, _("Two-factor is required for staff on this site."))
    elif not form.is_valid():
        messages.error(request, _("Two-factor is still on: that is not your password."))
    else:
        services.remove_two_factor(user)
        audit(Action.TWO_FACTOR_DISABLED, obj=user)
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts_security")


@_staff
@require_POST
@never_cache
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the account, this one included."""
    user: Any = request.user
    ended = services.end_sessions(user, keep=request.session.session_key)
    audit(Action.SESSIONS_ENDED, obj=user, details={"sessions_ended": ended + 1})
    logout(request)
    messages.success(request, _("You are signed out everywhere."))
    return redirect("accounts_login")


# -- Password reset ----------------------------------------------------------


@method_decorator([csrf_protect, never_cache], name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's form, limited per address and per email, and for staff only."""

    form_class = StaffPasswordResetForm
    template_name = "registration/password_reset_form.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = str(request.POST.get("email", ""))[:254].strip().lower()
        address = address_of(request)
        hour = 3600
        limit = settings.PASSWORD_RESETS_PER_HOUR
        if not (
            ratelimit.allow("pwreset-addr", address, limit=limit, window=hour)
            and ratelimit.allow("pwreset-email", email, limit=limit, window=hour)
        ):
            audit(Action.LOGIN_LOCKED, actor_name=email, details={"form": "reset"})
            until = timezone.now() + dt.timedelta(seconds=hour - time.time() % hour)
            return lockout_response(request, until)
        audit(Action.PASSWORD_RESET_REQUESTED, actor_name=email)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**admin.site.each_context(self.request), **context}


class AdminContextMixin:
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        return {**admin.site.each_context(self.request), **context}


class PasswordResetDoneView(AdminContextMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminContextMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(
    AdminContextMixin, auth_views.PasswordResetCompleteView
):
    pass

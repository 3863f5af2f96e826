"""Mounted under /admin/ before the admin itself (newshub/urls.py), so that
/admin/login/ is the two-step login. The password reset names are Django's,
which the admin's templates and emails reverse."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="accounts_login"),
    path("login/verify/", views.verify, name="accounts_verify"),
    path("account/security/", views.security, name="accounts_security"),
    path(
        "account/two-factor/",
        views.two_factor_setup,
        name="accounts_two_factor_setup",
    ),
    path(
        "account/recovery-codes/",
        views.recovery_codes,
        name="accounts_recovery_codes",
    ),
    path(
        "account/two-factor/off/", views.two_factor_off, name="accounts_two_factor_off"
    ),
    path(
        "account/logout-everywhere/",
        views.logout_everywhere,
        name="accounts_logout_everywhere",
    ),
    path(
        "password_reset/",
        views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "password_reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

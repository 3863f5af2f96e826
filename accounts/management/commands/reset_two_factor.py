"""For an administrator at the shell when someone lost their phone and their
recovery codes (or the only administrator did)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.services import Action, audit


class Command(BaseCommand):
    help = (
        "Remove an account's authenticator app and recovery codes and end its "
        "sessions; it sets two-factor up again at its next sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: options["username"]}).first()
        if user is None:
            raise CommandError(f"No account named {options['username']!r}.")
        removed = services.remove_two_factor(user)
        ended = services.end_sessions(user)
        audit(
            Action.TWO_FACTOR_RESET,
            obj=user,
            details={
                "devices_removed": removed,
                "sessions_ended": ended,
                "by": "shell",
            },
        )
        self.stdout.write(
            f"Two-factor reset for {user.get_username()}: {removed} device(s) "
            f"removed, {ended} session(s) ended."
        )

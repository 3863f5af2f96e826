"""Lift sign-in lockouts from the shell (also: Accounts and security ->
Login lockouts in the admin)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services
from accounts.services import Action, audit


class Command(BaseCommand):
    help = "Lift the login lockouts of an account, of an address, or all of them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="", help="e.g. editor")
        parser.add_argument("--address", default="", help="e.g. 203.0.113.9")
        parser.add_argument("--all", action="store_true", help="every lockout")

    def handle(self, *args: Any, **options: Any) -> None:
        username, address = options["username"], options["address"]
        if not (username or address or options["all"]):
            raise CommandError("Name --username, --address, or --all.")
        count = services.unlock(username=username, address=address)
        audit(
            Action.LOCKOUT_CLEARED,
            details={"username": username, "address": address, "by": "shell"},
        )
        self.stdout.write(f"Lifted {count} lockout(s).")

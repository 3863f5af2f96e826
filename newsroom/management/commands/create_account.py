"""Create a back-office account with a role, for scripts and the shell.

The password comes from --password-file, the environment variable
NEWSHUB_ACCOUNT_PASSWORD, or a prompt; never from the command line, where
other users of the machine and the shell's history would see it.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsroom import services
from newsroom.models import Role

PASSWORD_ENV = "NEWSHUB_ACCOUNT_PASSWORD"


class Command(BaseCommand):
    help = "Create an account with a role (contributor, author, editor, administrator)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="e.g. 'Amina Rauf'")
        parser.add_argument(
            "--username", default="", help="default: the email's part before @"
        )
        parser.add_argument(
            "--password-file",
            help=f"a file holding the password (else ${PASSWORD_ENV}, else a prompt)",
        )

    def handle(self, *args, role: str, email: str, name: str, username: str,
               password_file: str | None, **options) -> None:  # fmt: skip
        password = self._password(password_file)
        try:
            user = services.create_account(
                email=email,
                name=name,
                role=Role(role),
                password=password,
                username=username,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Created {Role(role).label.lower()} {user.get_username()} <{user.email}>."
        )

    def _password(self, password_file: str | None) -> str:
        if password_file:
            try:
                text = Path(password_file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(
                    f"Cannot read the password file {password_file}: {error}"
                ) from None
            password = text.rstrip("\r\n")
        elif os.environ.get(PASSWORD_ENV):
            password = os.environ[PASSWORD_ENV]
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        else:
            raise CommandError(
                f"No password: give --password-file or set {PASSWORD_ENV} "
                "(or run it in a terminal to be asked)."
            )
        if not password:
            raise CommandError("The password is empty.")
        return password

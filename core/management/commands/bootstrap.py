"""Prepare a site to serve: migrate, collect static files, load the demo content
into an empty database, and make sure an administrator can log in."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from core.models import SiteSettings


class Command(BaseCommand):
    help = "Migrate, collect static files, seed an empty database, create 'admin'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=300)
        parser.add_argument("--no-demo", action="store_true")

    def handle(self, *args: Any, articles: int, no_demo: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Images without renditions (moved into the library by a migration):
        # queued for the worker; the pages show the originals meanwhile.
        call_command("make_renditions", verbosity=0)
        SiteSettings.load()
        if not no_demo:  # the demo app's command, by name: no import upward
            call_command(
                "seed_demo",
                articles=articles,
                comments=articles * 2,
                if_empty=True,
                stdout=self.stdout,
            )
        self._ensure_admin()

    def _ensure_admin(self) -> None:
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            return
        password = os.environ.get("NEWSHUB_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        if os.environ.get("NEWSHUB_ADMIN_PASSWORD"):
            self.stdout.write("Created user 'admin' with NEWSHUB_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Created user 'admin' with password: {password}\n"
                    "It is shown only this once; change it in the admin."
                )
            )

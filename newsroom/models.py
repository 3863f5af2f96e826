"""The newsroom's roles. No tables of their own: a role is a group of
Django's auth app (its permissions set by services.sync_roles) and, for
Administrators, the superuser flag."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """WordPress's roles, lowest first."""

    CONTRIBUTOR = "contributor", _("Contributor")
    AUTHOR = "author", _("Author")
    EDITOR = "editor", _("Editor")
    ADMINISTRATOR = "administrator", _("Administrator")

    @property
    def group_name(self) -> str:
        """The auth group that holds the role's permissions."""
        return f"{self.label}s"

    @property
    def writes(self) -> bool:
        """Whether accounts with this role get a byline (an author profile)."""
        return self != Role.ADMINISTRATOR

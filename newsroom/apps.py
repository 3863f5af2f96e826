from __future__ import annotations

from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models.signals import post_migrate
        from django.utils.functional import lazy

        from newsroom import services

        # After every migrate (and every test database flush): the roles'
        # groups hold exactly the permissions services.ROLE_PERMISSIONS gives.
        post_migrate.connect(services.roles_after_migrate, sender=self)
        # The back office carries the newsroom's name, read at each page.
        site_name = lazy(services.back_office_name, str)()
        admin.site.site_header = site_name
        admin.site.site_title = site_name
        admin.site.index_title = "Newsroom"

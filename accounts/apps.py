from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and security"

    def ready(self) -> None:
        from accounts.signals import connect

        connect()

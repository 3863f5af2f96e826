from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Generated demo content (`seed_demo`) and `bootstrap`, which prepares a
    site for `make run`. Nothing else imports this app."""

    name = "demo"

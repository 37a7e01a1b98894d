from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The top floor: operator commands (backup, restore, demo data) that may use every app."""

    name = "gongkai.ops"
    label = "ops"
    verbose_name = "运维"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Connects the receivers that audit login, logout, failed login and lockout.
        from . import security  # noqa: F401

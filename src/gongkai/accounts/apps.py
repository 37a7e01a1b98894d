from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "账号与安全"

    def ready(self) -> None:
        # Local imports: Django reads apps.py before the registry is ready; models and receivers load here.
        # Connects the receivers that audit login, logout, failed login and lockout.
        from . import security  # noqa: F401

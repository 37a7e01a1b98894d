from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        # Local imports: Django reads apps.py before the registry is ready; models and receivers load here.
        from . import receivers  # noqa: F401  (connects the calendar_changed and letter_numbered receivers)

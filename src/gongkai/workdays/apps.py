from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "gongkai.workdays"
    label = "workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        # Local imports: Django reads apps.py before the registry is ready; models and receivers load here.
        from . import signals  # noqa: F401

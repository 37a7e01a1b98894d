from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "互动交流"

    def ready(self) -> None:
        # Local import: Django reads apps.py before the registry is ready; the receivers need the models.
        from . import receivers  # noqa: F401  (calendar_changed → due dates recomputed)

from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "gongkai.screening"
    label = "screening"
    verbose_name = "保密审查"

    def ready(self) -> None:
        # Local imports: Django reads apps.py before the registry is ready; models and receivers load here.
        from gongkai.catalog import gates

        from . import receivers  # noqa: F401  (connects the submission receiver)
        from .scanning import blocking_reasons, prepare_gate

        gates.register(blocking_reasons, prepare=prepare_gate)

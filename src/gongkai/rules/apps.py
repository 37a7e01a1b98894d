from django.apps import AppConfig


class RulesConfig(AppConfig):
    # An app so that the ``rules`` template tag library is found and the deadline check registers; no models.
    name = "gongkai.rules"
    label = "rules"
    verbose_name = "法定期限与阈值"

    def ready(self) -> None:
        from . import deadlines  # noqa: F401  (registers the deadline settings check, rules.W001)

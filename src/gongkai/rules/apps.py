from django.apps import AppConfig


class RulesConfig(AppConfig):
    # An app only so that the ``rules`` template tag library is found; it has no models.
    name = "gongkai.rules"
    label = "rules"
    verbose_name = "法定期限与阈值"

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "gongkai.subscriptions"
    label = "subscriptions"
    verbose_name = "邮件订阅"

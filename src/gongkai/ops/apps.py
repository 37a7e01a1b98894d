from django.apps import AppConfig


class OpsConfig(AppConfig):
    """The top floor: operator commands (backup, restore, the task worker and task recovery, demo data) that may
    use every app, and the task-queue reads and retry the staff dashboard and entry page show."""

    name = "gongkai.ops"
    label = "ops"
    verbose_name = "运维"

from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """The background-task worker (``gongkai worker``): its loop with retries and a heartbeat, the recovery of
    tasks a dead worker left, and the queue figures, site status and retry the staff pages show. A task is a
    dotted path and arguments; only to find a task's unit does it read the catalog, so it stands on the floor
    above catalog, beside screening and applications, and the staff pages (above it) ask it."""

    name = "gongkai.worker"
    label = "worker"
    verbose_name = "后台任务"

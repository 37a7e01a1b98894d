"""Worker heartbeats, and an index on the task table's status that the staff pages' queue figures use."""

from django.db import migrations, models

# django_tasks_db indexes only READY rows (for claiming). The dashboard counts waiting, running and failed tasks
# and the entry page looks for pending refreshes: without this they would read every finished row ever kept.
TASK_STATUS_INDEX = (
    "CREATE INDEX IF NOT EXISTS worker_task_status_enqueued_idx "
    "ON django_tasks_database_dbtaskresult (status, enqueued_at)"
)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                (
                    "worker_id",
                    models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name="任务进程编号"),
                ),
                ("host", models.CharField(max_length=255, verbose_name="主机")),
                ("pid", models.PositiveIntegerField(verbose_name="进程号")),
                ("started_at", models.DateTimeField(verbose_name="启动时间")),
                ("seen_at", models.DateTimeField(db_index=True, verbose_name="最近心跳")),
                (
                    "current_task",
                    models.CharField(blank=True, default="", max_length=64, verbose_name="正在执行的任务"),
                ),
            ],
            options={
                "verbose_name": "任务进程心跳",
                "verbose_name_plural": "任务进程心跳",
            },
        ),
        migrations.RunSQL(TASK_STATUS_INDEX, "DROP INDEX IF EXISTS worker_task_status_enqueued_idx"),
    ]

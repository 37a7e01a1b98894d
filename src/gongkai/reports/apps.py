from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    label = "reports"
    verbose_name = "年度报告与统计"

    def ready(self) -> None:
        from gongkai.documents import jobs

        from . import exports

        jobs.register("annual_report", exports.annual_report)
        jobs.register("bulletin", exports.county_bulletin)

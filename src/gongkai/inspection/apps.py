from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "gongkai.inspection"
    label = "inspection"
    verbose_name = "网站自查"

    def ready(self) -> None:
        from gongkai.documents import jobs

        from . import rectify

        jobs.register("rectification", rectify.render_notice)  # the 督查整改通知书, PDF or DOCX

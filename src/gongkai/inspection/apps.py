from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "gongkai.inspection"
    label = "inspection"
    verbose_name = "网站自查"

    def ready(self) -> None:
        from gongkai.documents import jobs
        from gongkai.reports import bulletin

        from . import rectify, selectors

        jobs.register("rectification", rectify.render_notice)  # the 督查整改通知书, PDF or DOCX
        # The county's bulletin (reports sits below inspection and cannot import it): score and overdue notices.
        bulletin.register_figure("inspection_score", "网站自查得分", selectors.bulletin_scores)
        bulletin.register_figure("rectify_overdue", "逾期未整改通知书（份）", rectify.bulletin_overdue)

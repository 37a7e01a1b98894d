from django.apps import AppConfig


class HarvestConfig(AppConfig):
    name = "gongkai.harvest"
    label = "harvest"
    verbose_name = "资源库汇聚"

    def ready(self) -> None:
        from gongkai.catalog.signals import category_renamed, public_entry_changed

        from . import receivers

        public_entry_changed.connect(receivers.on_public_entry_changed, dispatch_uid="harvest.entry_changed")
        category_renamed.connect(receivers.on_category_renamed, dispatch_uid="harvest.category_renamed")

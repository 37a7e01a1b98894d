from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongkai.catalog.signals import public_entry_changed

        from . import receivers

        public_entry_changed.connect(receivers.on_public_entry_changed, dispatch_uid="search.entry_changed")

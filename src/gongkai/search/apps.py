from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def rebuild_if_empty(sender: Any, using: str = "default", verbosity: int = 1, **_: Any) -> None:
    """After ``migrate``: an empty index next to published entries means a migration rebuilt the index's
    structure (the index is derived data); fill it again so search never silently finds nothing."""
    # Local imports: apps.py is read before the app registry is ready, so models can only load at call time.
    from django.core.management import call_command

    from gongkai.catalog.models import Entry, EntryStatus

    from .models import SearchDocument

    if SearchDocument.objects.using(using).exists():
        return
    if not Entry.objects.using(using).filter(status=EntryStatus.PUBLISHED).exists():
        return
    call_command("reindex", verbosity=verbosity)


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        # Local imports: Django reads apps.py before the registry is ready; models and receivers load here.
        from gongkai.catalog.signals import public_entry_changed

        from . import receivers

        public_entry_changed.connect(receivers.on_public_entry_changed, dispatch_uid="search.entry_changed")
        post_migrate.connect(rebuild_if_empty, sender=self, dispatch_uid="search.rebuild_if_empty")

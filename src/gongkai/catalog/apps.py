from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "公开目录"

    def ready(self) -> None:
        # Local imports: models and receivers load once the registry is ready.
        from . import receivers
        from .signals import public_entry_changed

        public_entry_changed.connect(receivers.on_public_entry_changed, dispatch_uid="catalog.train_suggestions")

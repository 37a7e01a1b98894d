from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "公开网站"

    def ready(self) -> None:
        # Local imports: Django reads apps.py before the registry is ready; models and receivers load here.
        from django.db.models.signals import post_save

        from gongkai.catalog.models import Category
        from gongkai.catalog.signals import category_renamed, column_services_changed, public_entry_changed
        from gongkai.channels.signals import screens_changed
        from gongkai.interaction.signals import public_messages_changed
        from gongkai.orgs.models import Org

        from . import receivers

        public_entry_changed.connect(receivers.on_public_entry_changed, dispatch_uid="portal.entry_changed")
        post_save.connect(receivers.on_org_saved, sender=Org, dispatch_uid="portal.org_saved")
        category_renamed.connect(receivers.on_category_renamed, dispatch_uid="portal.category_renamed")
        post_save.connect(receivers.on_category_saved, sender=Category, dispatch_uid="portal.category_saved")
        public_messages_changed.connect(receivers.on_public_messages_changed, dispatch_uid="portal.messages_changed")
        screens_changed.connect(receivers.on_screens_changed, dispatch_uid="portal.screens_changed")
        column_services_changed.connect(receivers.on_column_services_changed, dispatch_uid="portal.column_services")

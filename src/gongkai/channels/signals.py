"""Sent after commit when a screen is added or changed: the portal rewrites its static LED feed files."""

from django.dispatch import Signal

#: kwargs: ``unit_id``
screens_changed = Signal()

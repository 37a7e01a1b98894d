"""Sent after commit when what the public site shows of a unit's messages changed (a reply published or taken
down); the portal, a floor above, re-renders the unit's 留言选登 and statistics pages in a background task."""

from django.dispatch import Signal

#: ``unit_id``: the unit whose public message pages must be rebuilt.
public_messages_changed = Signal()

from django.dispatch import Signal

#: Sent after commit whenever what the public sees of an entry may have changed (published, withdrawn,
#: edited, validity changed). Args: ``entry_id``, ``reason``, ``category_ids`` (old and new categories).
public_entry_changed = Signal()

#: Sent after commit when a column's name changed: every public page of its entries shows that name.
#: Args: ``category_id``.
category_renamed = Signal()

#: Sent after commit when a column's 办事服务 links were added or removed: its public page lists them.
#: Args: ``category_id``, ``unit_id``.
column_services_changed = Signal()

#: Sent after commit when an entry enters review: screening scans it. Args: ``entry_id``.
entry_submitted = Signal()

#: Sent after commit when what screening reads of an entry changed: it was created, its text was edited
#: (draft or published), an attachment was added or removed. Screening scans it, so no page has to.
#: Args: ``entry_id``, ``reason`` ("create", "edit", "edit_published", "attach", "remove_attachment").
entry_content_changed = Signal()

from django.dispatch import Signal

#: Sent after commit when a unit's sensitive-word list changed (a word added or removed): every verdict on
#: the unit's entries was reached with the old list. Args: ``unit_id``.
word_list_changed = Signal()

from django.dispatch import Signal

#: Sent after commit when a unit's sensitive-word list changed (a word added or removed): every verdict on
#: the unit's entries was reached with the old list. Args: ``unit_id``.
word_list_changed = Signal()

#: Sent after commit when an entry has a scanned attachment whose OCR text is not cached yet and the scan ran
#: where OCR may not (a request, the publication gate): the task worker recognises it and scans the entry.
#: Args: ``entry_id``.
ocr_needed = Signal()

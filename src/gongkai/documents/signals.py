"""What the documents app asks the task worker to do; ``receivers.py`` queues the tasks.

Sent as signals so that ``fonts`` and ``jobs`` do not import ``tasks`` (which imports them): no import loops.
"""

from django.dispatch import Signal

#: A render found font subsets missing and used the system font; the build should be queued.
fonts_missing = Signal()
#: A document job was committed (``job_id``: str); its rendering should be queued.
job_created = Signal()

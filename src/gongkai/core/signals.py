"""Signals that cross the floors: sent by a higher app, heard by lower ones that must not import it."""

from django.dispatch import Signal

#: The task worker (``gongkai worker``) is about to claim its first task, outside any transaction. Apps whose
#: tasks pay a one-time cost in a fresh process (the documents app: WeasyPrint's C type tables and font
#: loading) pay it here, so the first task of that kind is not slower than the next. A receiver returns what it
#: did (Chinese, for the worker's log); an exception is logged and the worker starts all the same.
worker_starting = Signal()

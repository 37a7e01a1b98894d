"""Task priorities: which background work the single worker takes first when several tasks wait.

The worker always takes the highest priority first, then the oldest (``django_tasks_db`` orders the queue by
``priority`` descending, then ``run_after``, then ``enqueued_at``). Measured in ``bench/bench_publish.py``: with
every task at one priority a page refresh waited behind 16 letters on average and up to 41 s when letters came
at 180 a minute; with refreshes above letters it waited only for the letter already being rendered (p95 0.79 s).

- ``SITE``: a signed entry's pages — the officer sees 已发布 and the public must see it within seconds (Art. 26).
- ``INTERACTIVE``: what a member of staff is waiting for on a page (a scan result, a search index update).
- ``DOCUMENT``: letters and exports — a person waits, but each takes longer and a page says 正在生成….
- ``BULK``: re-scans of many entries, font builds: long, nobody waits on a page.
"""

SITE = 20
INTERACTIVE = 10
DOCUMENT = 0
BULK = -10

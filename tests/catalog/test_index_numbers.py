import threading
from datetime import date

import pytest
from django.db import close_old_connections, connection, transaction

from gongkai.catalog import services
from gongkai.catalog.indexing import assign_index_number
from gongkai.catalog.models import Entry, IndexCounter
from gongkai.orgs.services import update_org


def test_serials_are_sequential_per_unit_and_year(draft, publish, tree, people):
    year = date.today().year
    numbers = [publish(draft()).index_number for _ in range(3)]
    assert numbers == [f"QH0101/{year}-0000{i}" for i in (1, 2, 3)]
    street = services.create_draft(
        actor=people["street_admin"],
        unit=tree.street,
        category=tree.street.categories.get(slug="news"),
        title="街道动态",
        formed_date="2025-03-03",
    )
    street = services.submit_for_review(actor=people["street_admin"], entry=street)
    street = services.review_pass(actor=people["street_admin"], entry=street)
    street = services.sign_and_publish(actor=people["street_signer"], entry=street)
    assert street.index_number == f"QH0201/{year}-00001"


def test_pattern_is_configurable(draft, publish, tree, people):
    update_org(actor=people["admin"], org=tree.town, index_pattern="{code}-{year}-{serial:06d}")
    entry = publish(draft())
    assert entry.index_number == f"QH0101-{date.today().year}-000001"


def test_bad_pattern_rejected(tree, people):
    from gongkai.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        update_org(actor=people["admin"], org=tree.town, index_pattern="{code}/{year}")
    assert exc.value.field == "index_pattern"


def test_rolled_back_publication_returns_its_serial(draft, publish, tree):
    entry = draft()
    with pytest.raises(RuntimeError), transaction.atomic():
        assign_index_number(entry, 2025)
        raise RuntimeError("publication failed")
    assert not IndexCounter.objects.filter(unit=tree.town, year=2025, last_serial__gt=0).exists()
    with transaction.atomic():
        assert assign_index_number(Entry.objects.get(pk=entry.pk), 2025) == "QH0101/2025-00001"


def test_imported_number_is_skipped_not_reused(draft, tree):
    old = draft()
    Entry.objects.filter(pk=old.pk).update(index_number="QH0101/2025-00001")
    with transaction.atomic():
        assert assign_index_number(draft(), 2025) == "QH0101/2025-00002"


WORKERS = 8
PER_WORKER = 5


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_publishing_on_postgres_is_unique_and_gap_free(tree, people):
    assert connection.vendor == "postgresql"
    from tests.factories import make_draft

    ready = []
    for _ in range(WORKERS * PER_WORKER):
        e = make_draft(tree, people)
        e = services.submit_for_review(actor=people["drafter"], entry=e)
        ready.append(services.review_pass(actor=people["reviewer"], entry=e))
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def worker(chunk: list[Entry]) -> None:
        try:
            barrier.wait()
            for entry in chunk:
                services.sign_and_publish(actor=people["signer"], entry=entry)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(ready[i::WORKERS],)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    serials = sorted(Entry.objects.filter(unit=tree.town).values_list("index_serial", flat=True))
    assert serials == list(range(1, WORKERS * PER_WORKER + 1))
    numbers = list(Entry.objects.filter(unit=tree.town).values_list("index_number", flat=True))
    assert len(set(numbers)) == len(numbers) == WORKERS * PER_WORKER

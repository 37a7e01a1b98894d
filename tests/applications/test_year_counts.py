"""Journey 3 and table 三/四 counts: a letter signed for on 2025-12-31, answered on 2026-01-16, counts in
both years; ``counts_for_year`` gives new / carried_in / per-result / carried_over per applicant column."""

from datetime import date

from gongkai.applications import intake, replies, selectors

from .conftest import applicant


def col(counts, row, column="total"):
    return counts["rows"][row][counts["columns"].index(column)]


def check_balances(counts):
    for i in range(len(counts["columns"])):
        rows = counts["rows"]
        assert rows["new"][i] + rows["carried_in"][i] == rows["total_handled"][i] + rows["carried_over"][i]


def test_letter_signed_for_on_new_years_eve(tree, people, today):
    today(date(2026, 1, 20))
    app, _ = intake.enter_application(
        actor=people["drafter"],
        unit=tree.town,
        data=applicant(),
        channel="letter_registered",
        submitted_on=date(2025, 12, 29),
        received_on=date(2025, 12, 31),
    )
    replies.reply(
        actor=people["drafter"],
        application=app,
        result="partly_granted",
        on=date(2026, 1, 16),
        content="涉及第三方商业秘密的部分不予公开",
    )
    y2025 = selectors.counts_for_year(tree.town, 2025)
    y2026 = selectors.counts_for_year(tree.town, 2026)
    assert col(y2025, "new") == 1 and col(y2025, "carried_over") == 1 and col(y2025, "total_handled") == 0
    assert col(y2025, "new", "natural_person") == 1
    assert col(y2026, "new") == 0 and col(y2026, "carried_in") == 1
    assert col(y2026, "partly_granted") == 1 and col(y2026, "total_handled") == 1 and col(y2026, "carried_over") == 0
    assert y2025["rows"]["carried_over"] == y2026["rows"]["carried_in"]
    check_balances(y2025)
    check_balances(y2026)


def test_shape_and_columns(tree, people, today):
    today(date(2025, 12, 1))
    org = applicant(
        applicant_type="legal_service", id_type="uscc", id_number="91350100M000100Y43", contact_person="李律师"
    )
    a, _ = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=org, channel="in_person", received_on=date(2025, 3, 3)
    )
    b, _ = intake.enter_application(
        actor=people["drafter"], unit=tree.town, data=applicant(), channel="email", received_on=date(2025, 3, 4)
    )
    intake.submit_online(unit=tree.town, data=applicant())  # never confirmed: not counted
    replies.reply(
        actor=people["drafter"],
        application=a,
        result="unable.not_held",
        on=date(2025, 3, 10),
        referred_agency="清河县自然资源局，电话0571-88881234",
    )
    counts = selectors.counts_for_year(tree.town, 2025)
    assert counts["columns"] == [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
        "total",
    ]
    # new, carried_in, the 21 result rows, total_handled (（七）总计: the 22nd row of 三), carried_over
    assert len(counts["rows"]) == 25
    assert counts["rows"]["new"] == [1, 0, 0, 0, 1, 0, 2]
    assert counts["rows"]["unable.not_held"] == [0, 0, 0, 0, 1, 0, 1]
    assert counts["rows"]["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    check_balances(counts)
    assert selectors.channel_counts_for_year(tree.town, 2025) == {
        "online": 0,
        "letter": 0,
        "in_person": 1,
        "service_window": 0,
        "fax": 0,
        "email": 1,
        "other": 0,
    }
    assert b.status == "in_progress"


def test_appeal_counts(tree, people, receive, today):
    today(date(2026, 3, 1))
    app = receive(date(2025, 3, 3))
    replies.reply(
        actor=people["drafter"],
        application=app,
        result="withheld.process_information",
        on=date(2025, 3, 20),
        content="属于过程性信息",
    )
    first = replies.record_appeal(
        actor=people["drafter"],
        application=app,
        kind="reconsideration",
        filed_on=date(2025, 5, 6),
        authority="清河县人民政府",
    )
    replies.record_appeal(
        actor=people["drafter"],
        application=app,
        kind="litigation_after_reconsideration",
        filed_on=date(2025, 11, 2),
        authority="清河县人民法院",
    )
    replies.decide_appeal(actor=people["drafter"], appeal=first, outcome="upheld", decided_on=date(2025, 7, 1))
    counts = selectors.appeal_counts_for_year(tree.town, 2025)
    assert counts["reconsideration"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert counts["litigation_after_reconsideration"]["pending"] == 1
    assert counts["litigation_direct"]["total"] == 0

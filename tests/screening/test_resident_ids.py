import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.screening.scanner import is_resident_id, scan_text
from tests.screening.builders import resident_id, wrong_check


def kinds(text):
    return [(f.kind, f.value) for f in scan_text(text)]


def test_valid_id_is_found_and_masked():
    number = resident_id(random.Random(1), region="330102", born=date(1990, 3, 7))
    [finding] = scan_text(f"申请人身份证号：{number}，现居东山镇。")
    assert finding.kind == "id_card" and finding.severity == "high"
    assert finding.value == number
    assert finding.masked == f"330102********{number[-4:]}"


def test_checksum_invalid_number_is_not_an_id():
    number = wrong_check(resident_id(random.Random(2)))
    assert not is_resident_id(number)
    assert kinds(f"身份证号：{number}") == []


def test_lowercase_x_check_character():
    rng = random.Random(0)
    number = next(n for n in (resident_id(rng) for _ in range(500)) if n.endswith("X"))
    assert kinds(f"证件号码{number.lower()}。") == [("id_card", number.lower())]


def test_invalid_birth_date_or_region_is_not_an_id():
    from gongkai.screening.scanner import id_check_char

    bad_date = "33010219900231123"  # 31 February
    bad_region = "99010219900307123"  # no province 99
    for first17 in (bad_date, bad_region):
        assert kinds(first17 + id_check_char(first17)) == []


def test_legacy_15_digit_id_with_valid_date():
    assert kinds("旧身份证 330102900307123 已换发") == [("id_card", "330102900307123")]
    assert kinds("旧身份证 330102901307123") == []  # month 13


def test_split_by_spaces_and_dashes_and_full_width():
    number = resident_id(random.Random(3))
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    fours = " ".join(number[i : i + 4] for i in range(0, 18, 4))
    dashed = f"{number[:6]}-{number[6:14]}-{number[14:]}"
    single = " ".join(number)
    wide = number.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    for written in (spaced, fours, dashed, single, wide):
        found = scan_text(f"身份证：{written}。")
        assert [(f.kind, f.value) for f in found] == [("id_card", written)], written


def test_never_inside_a_longer_digit_run():
    number = resident_id(random.Random(4))
    assert kinds(f"流水号 9{number} 和 {number}7") == []
    assert kinds(f"编号 QH{number}") == []


def test_id_in_a_table_row_next_to_other_numbers():
    number = resident_id(random.Random(5))
    found = kinds(f"3 张三 {number} 13812345678 1200.00")
    assert found == [("id_card", number), ("mobile", "13812345678")]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_every_valid_id_is_found_and_every_wrong_check_is_not(seed):
    number = resident_id(random.Random(seed))
    assert kinds(f"号码{number}号") == [("id_card", number)]
    assert kinds(f"号码{wrong_check(number)}号") == []

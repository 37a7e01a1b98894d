import pytest

from gongkai.screening.scanner import scan_text


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "+86-13812345678",
        "0086 13812345678",
        "１３８１２３４５６７８",
        "1 3 8 1 2 3 4 5 6 7 8",
    ],
)
def test_mobile_formats(written):
    [f] = scan_text(f"联系人：李四，{written}。")
    assert f.kind == "mobile" and f.severity == "high"
    assert f.value == written
    assert f.masked.endswith("138****5678")


@pytest.mark.parametrize("number", ["12812345678", "11012345678", "1381234567", "138123456789"])
def test_not_mobiles(number):
    assert [f.kind for f in scan_text(f"编号 {number} 。")] == []


@pytest.mark.parametrize(
    ("written", "masked"),
    [
        ("0571-88880101", "0571-****0101"),
        ("(0571)88880101", "0571-****0101"),
        ("（0571）88880101", "0571-****0101"),
        ("010-62345678", "010-****5678"),
        ("0571-8888010", "0571-***8010"),
        ("0571-88880101转801", "0571-****0101"),
    ],
)
def test_landlines_with_area_code(written, masked):
    [f] = scan_text(f"咨询电话：{written}")
    assert (f.kind, f.severity, f.masked) == ("landline", "medium", masked)


def test_landline_without_area_code_or_separator_is_left_alone():
    assert scan_text("办公室 88880101，编号 057188880101") == []
    assert [f.kind for f in scan_text("电话057188880101")] == ["landline"]


def test_bank_cards_need_luhn():
    assert [f.kind for f in scan_text("卡号 6222021234567890128")] == ["bank_card"]
    assert [f.kind for f in scan_text("卡号 6222021234567890127")] == []
    assert [f.kind for f in scan_text("账号 6222 0212 3456 7890 128")] == ["bank_card"]
    # A Luhn-valid Visa-like number counts only next to a banking word.
    assert [f.kind for f in scan_text("银行卡号 4111111111111111")] == ["bank_card"]
    assert scan_text("流水 4111111111111111") == []

import pytest

from gongkai.screening.scanner import scan_text


def kinds(text):
    return [(f.kind, f.severity, f.value) for f in scan_text(text)]


def test_email_passport_permit_plate_are_low():
    found = kinds("邮箱 zhang.san@example.com，护照 E12345678，通行证 C12345678，车牌 浙A·12345 和 浙AD12345")
    assert [k for k, _, _ in found] == ["email", "passport", "permit", "plate", "plate"]
    assert {s for _, s, _ in found} == {"low"}


def test_detailed_address_needs_a_name_next_to_it():
    assert kinds("申请人张三，住东山镇人民路12号3栋201室") == [("address", "low", "东山镇人民路12号3栋201室")]
    assert kinds("王五 李家村3组15号") == [("address", "low", "李家村3组15号")]
    # The office's own address is published on purpose.
    assert kinds("办公地址：东山镇人民路1号") == []
    assert kinds("会议在人民路12号3栋201室召开") == []


def test_account_name_next_to_number():
    found = kinds("户名：王小明 账号：6222021234567890128")
    assert ("account_name", "low", "王小明") in found and (
        "bank_card",
        "high",
        "6222021234567890128",
    ) in found
    assert kinds("户名：王小明") == []


@pytest.mark.parametrize("mark", ["秘密★1年", "机密★10年", "绝密★长期", "密级：秘密"])
def test_classification_marks(mark):
    assert kinds(f"{mark}\n关于某事项的通知") == [("classified", "high", mark)]


def test_classification_word_alone_on_a_line_but_not_in_prose():
    assert kinds("机 密\n正文") == [("classified", "high", "机 密")]
    assert kinds("各单位要严格保守国家秘密，不得泄露工作秘密和商业机密。") == []


def test_internal_and_draft_markers():
    found = kinds("内部资料 注意保存\n关于某规划（征求意见稿）\n不得外传")
    assert [(k, s) for k, s, _ in found] == [
        ("internal", "high"),
        ("internal", "high"),
        ("draft", "medium"),
        ("internal", "high"),
    ]


def test_unit_words_with_severity():
    found = kinds_words("东山镇拆迁补偿名单涉及老街片区", [("老街片区", "high"), ("补偿", "low")])
    assert found == [("unit_word", "low", "补偿"), ("unit_word", "high", "老街片区")]


def kinds_words(text, words):
    return [(f.kind, f.severity, f.value) for f in scan_text(text, unit_words=words)]

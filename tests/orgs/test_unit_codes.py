import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.orgs.codes import is_valid_uscc, unit_code_error, uscc_check_char
from gongkai.orgs.models import Org

pytestmark = pytest.mark.django_db


def test_real_uscc_check_char():
    # A published code (金乡县胡集镇, spec §3.1) checks out; one changed character does not.
    assert is_valid_uscc("113708280043326001")
    assert not is_valid_uscc("113708280043326002")
    assert uscc_check_char("11370828004332600") == "1"


@pytest.mark.parametrize(
    "code,ok",
    [
        ("QH0101", True),
        ("6107280000", True),
        ("000014349", True),
        ("113708280043326001", True),
        ("113708280043326002", False),
        ("", False),
        ("a b", False),
        ("东山镇", False),
        ("X" * 21, False),
    ],
)
def test_unit_code_rules(code, ok):
    assert (unit_code_error(code) is None) is ok


def test_org_add_and_list(capsys):
    call_command("org", "add", "--code", "QH9", "--name", "清河县", "--kind", "county")
    call_command(
        "org",
        "add",
        "--code",
        "113708280043326001",
        "--name",
        "胡集镇",
        "--kind",
        "township",
        "--parent",
        "QH9",
        "--slug",
        "huji",
    )
    call_command("org", "list")
    out = capsys.readouterr().out
    assert "胡集镇" in out and "/huji/" in out
    assert Org.objects.get(slug="huji").parent.code == "QH9"


def test_org_add_reports_bad_code_in_chinese():
    with pytest.raises(CommandError, match="校验"):
        call_command("org", "add", "--code", "113708280043326002", "--name", "某镇", "--kind", "county")


def test_org_add_unknown_parent():
    with pytest.raises(CommandError, match="上级机构 NOPE 不存在"):
        call_command("org", "add", "--code", "QH8", "--name", "某镇", "--kind", "township", "--parent", "NOPE")


def test_user_add_with_password_file(tmp_path):
    call_command("org", "add", "--code", "QH9", "--name", "清河县", "--kind", "county")
    pw = tmp_path / "pw"
    pw.write_text("Xq7-long-enough!\n", encoding="utf-8")
    call_command("user", "add", "lilei", "--org", "QH9", "--role", "supervisor", "--password-file", str(pw))
    from django.contrib.auth import authenticate

    user = authenticate(username="lilei", password="Xq7-long-enough!")
    assert user is not None and user.memberships.get().role == "supervisor"


def test_user_add_weak_password_rejected(tmp_path):
    call_command("org", "add", "--code", "QH9", "--name", "清河县", "--kind", "county")
    pw = tmp_path / "pw"
    pw.write_text("12345678\n", encoding="utf-8")
    with pytest.raises(CommandError, match="password"):
        call_command("user", "add", "lilei", "--org", "QH9", "--role", "drafter", "--password-file", str(pw))

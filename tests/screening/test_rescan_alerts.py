import pytest

from gongkai.catalog.models import EntryStatus
from gongkai.core.errors import NotAllowed, ValidationFailed
from gongkai.screening import services
from gongkai.screening.models import Alert, SensitiveWord


def test_rescan_of_published_entries_alerts_the_unit(draft, publish, people, tree):
    clean = publish(draft(body="<p>会议通知</p>"))
    live = publish(draft(body="<p>会议通知，涉及老街片区</p>"))
    # A word added after publication: the bulk rescan finds the live page.
    services.add_sensitive_word(actor=people["admin"], unit=tree.town, word="老街片区")
    summary = services.rescan_published()
    assert summary.entries == 2 and summary.with_findings == 1
    alert = Alert.objects.get()
    assert alert.entry == live and alert.unit == tree.town and alert.state == Alert.State.OPEN
    assert live.index_number in alert.summary
    # Running again refreshes the open alert instead of piling up duplicates.
    services.rescan_published(unit=tree.town)
    assert Alert.objects.count() == 1
    assert clean.status == EntryStatus.PUBLISHED

    with pytest.raises(NotAllowed):
        services.handle_alert(actor=people["reviewer"], alert=alert, note="已处理")
    with pytest.raises(ValidationFailed, match="处理说明"):
        services.handle_alert(actor=people["admin"], alert=alert, note="")
    services.handle_alert(actor=people["admin"], alert=alert, note="已撤回并修改后重新发布")
    alert.refresh_from_db()
    assert alert.state == Alert.State.HANDLED and alert.handled_by == people["admin"]


def test_sensitive_words_are_kept_by_the_unit_admin(people, tree):
    with pytest.raises(NotAllowed):
        services.add_sensitive_word(actor=people["drafter"], unit=tree.town, word="某某项目")
    word = services.add_sensitive_word(actor=people["admin"], unit=tree.town, word=" 某某项目 ", severity="low")
    assert (word.word, word.severity) == ("某某项目", "low")
    with pytest.raises(ValidationFailed, match="已存在"):
        services.add_sensitive_word(actor=people["admin"], unit=tree.town, word="某某项目")
    with pytest.raises(ValidationFailed) as exc:
        services.add_sensitive_word(actor=people["admin"], unit=tree.town, word="某", severity="extreme")
    assert set(exc.value.errors) == {"word", "severity"}
    services.remove_sensitive_word(actor=people["admin"], word=word)
    assert not SensitiveWord.objects.exists()

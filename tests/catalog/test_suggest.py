"""Learned drafting suggestions (issue 21): trained on a unit's own published history, read-only asks."""

from __future__ import annotations

import pytest

from gongkai.catalog import suggest
from gongkai.catalog.models import SuggestionModel
from gongkai.core.errors import ValidationFailed
from tests.catalog.suggest_history import publish_history
from tests.factories import category


def test_similar_title_gets_the_right_category_in_the_top_three(tree, people):
    publish_history(tree, people)
    model = suggest.retrain(unit=tree.town)
    assert model.entries == 9 and SuggestionModel.objects.filter(unit=tree.town).count() == 1

    found = suggest.suggest(unit=tree.town, title="2025年第一季度城乡低保对象名单公示")
    assert str(category(tree.town, "dibao").pk) in [c.value for c in found.categories]
    assert found.categories[0].value == str(category(tree.town, "dibao").pk)
    assert found.categories[0].label.endswith("社会救助/低保")
    assert found.genres[0].value == "公示"
    assert "低保" in found.topic_words

    found = suggest.suggest(unit=tree.town, title="关于做好2025年防汛抗旱工作的通知")
    assert found.categories[0].value == str(category(tree.town, "emergency").pk)
    assert found.genres[0].value == "通知" and "防汛" in found.topic_words


def test_summary_is_the_first_sentence_of_the_body_never_invented(tree, people):
    found = suggest.suggest(unit=tree.town, title="通知", body="<p>各村：<b>现将</b>有关事项通知如下。其余内容略。</p>")
    assert found.summary == "各村：现将有关事项通知如下。"
    long = suggest.first_sentence("<p>" + "字" * 200 + "</p>")
    assert len(long) == suggest.SUMMARY_CHARS and long.endswith("…")
    assert suggest.first_sentence("<p> </p>") == ""


def test_another_units_history_never_leaks(tree, people):
    publish_history(tree, people, street=True)
    suggest.retrain(unit=tree.street)
    suggest.retrain(unit=tree.town)  # the township has published nothing

    town = suggest.suggest(unit=tree.town, title="2025年第一季度城乡低保对象名单公示")
    assert town.empty and town.trained_on == 0
    street = suggest.suggest(unit=tree.street, title="2025年第一季度城乡低保对象名单公示")
    assert street.categories[0].value == str(category(tree.street, "dibao").pk)
    town_ids = {str(pk) for pk in tree.town.categories.values_list("pk", flat=True)}
    assert not town_ids & {c.value for c in street.categories}


def test_empty_unit_suggests_nothing_without_error(tree):
    found = suggest.suggest(unit=tree.county, title="关于做好防汛工作的通知")  # never trained, no history
    assert found.empty and found.as_dict()["categories"] == []
    assert not SuggestionModel.objects.exists()  # asking never writes
    assert suggest.suggest(unit=tree.county, title="").empty


def test_asking_without_a_stored_model_trains_in_memory_only(tree, people):
    publish_history(tree, people, rounds=1)
    SuggestionModel.objects.all().delete()
    found = suggest.suggest(unit=tree.town, title="城乡低保对象名单公示")
    assert found.categories and not SuggestionModel.objects.exists()


def test_retired_categories_are_not_offered(tree, people):
    publish_history(tree, people, rounds=2)
    suggest.retrain(unit=tree.town)
    dibao = category(tree.town, "dibao")
    dibao.is_retired = True
    dibao.save(update_fields=["is_retired"])
    found = suggest.suggest(unit=tree.town, title="城乡低保对象名单公示")
    assert str(dibao.pk) not in [c.value for c in found.categories]


def test_overlong_input_is_refused_in_chinese(tree):
    with pytest.raises(ValidationFailed) as exc:
        suggest.suggest(unit=tree.town, title="标" * 201)
    assert exc.value.message == "标题不能超过 200 个字"


def test_publication_queues_the_retraining(tree, people, draft, publish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft(title="2025年第一季度城乡低保对象名单公示", category=category(tree.town, "dibao")))
    model = SuggestionModel.objects.get(unit=tree.town)  # the test backend runs the task at once
    assert model.entries == 1 and model.trained_at is not None and not model.pending


def test_a_burst_of_publications_queues_one_training(
    tree, people, draft, publish, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from gongkai.catalog.receivers import on_public_entry_changed
    from gongkai.catalog.tasks import train_suggestions

    entries = [publish(draft()) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for entry in entries:  # as the after-commit signal would
            on_public_entry_changed(sender=None, entry_id=entry.pk, reason="publish")
        on_public_entry_changed(sender=None, entry_id=entries[0].pk, reason="edit")  # edits queue nothing
    queued = DBTaskResult.objects.filter(task_path="gongkai.catalog.tasks.train_suggestions")
    assert queued.count() == 1 and SuggestionModel.objects.get(unit=tree.town).pending
    assert train_suggestions.call(tree.town.pk) == 3
    model = SuggestionModel.objects.get(unit=tree.town)
    assert not model.pending and model.entries == 3


def test_training_three_hundred_entries_is_fast():
    import time

    samples = [
        suggest.Sample(i, i % 12, "通知", f"关于做好第{i}批农村人居环境整治工作的通知", "部署整治工作。",
                       "<p>" + "各村要高度重视，明确责任分工，确保各项措施落到实处。" * 20 + "</p>", "人居环境")
        for i in range(300)
    ]  # fmt: skip
    started = time.monotonic()
    payload = suggest.train(samples)
    assert len(payload["entries"]) == 300
    assert time.monotonic() - started < 1.0

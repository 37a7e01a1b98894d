"""A small published history for the suggestion tests, written through the services (draft → publish)."""

from __future__ import annotations

from typing import Any

from tests.factories import category, make_draft, publish_entry

#: (category slug, genre, title, topic words): three kinds of work a township publishes again and again.
HISTORY = [
    ("dibao", "公示", "{y}年第{q}季度城乡低保对象名单公示", "低保 社会救助"),
    ("tekun", "公示", "{y}年第{q}季度特困供养人员名单公示", "特困供养 社会救助"),
    ("emergency", "通知", "关于做好{y}年第{q}次防汛抗旱工作的通知", "防汛 应急管理"),
]
BODIES = {
    "dibao": "<p>经村民代表大会评议、镇人民政府审核，现将城乡低保对象名单予以公示。公示期为七天。</p>",
    "tekun": "<p>经审核，现将特困供养人员名单予以公示。如有异议请向民政办反映。</p>",
    "emergency": "<p>各村：汛期将至，为切实做好防汛抗旱工作，现将有关事项通知如下。</p>",
}


def publish_history(tree: Any, people: dict[str, Any], *, street: bool = False, rounds: int = 3) -> list[Any]:
    """``rounds`` published entries of each kind in the township (or, ``street``, the street office)."""
    unit = tree.street if street else tree.town
    actors = people
    if street:
        drafter = people["street_drafter"]
        actors = {"drafter": drafter, "reviewer": people["street_admin"], "signer": people["street_signer"]}
    out = []
    for i in range(rounds):
        for slug, genre, title, words in HISTORY:
            entry = make_draft(
                tree,
                people,
                unit=unit,
                category=category(unit, slug),
                genre=genre,
                title=title.format(y=2020 + i, q=i + 1),
                summary="",
                body=BODIES[slug],
                topic_words=words,
                publisher=tree.street if street else tree.office,
                actor=actors["drafter"],
            )
            out.append(publish_entry(entry, actors))
    return out

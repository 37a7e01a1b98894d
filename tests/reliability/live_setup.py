"""Run in a child process against the live database: the fixture tree and people, N published entries
and a full site build. Prints what the tests need as one JSON line."""

from __future__ import annotations

import json
import sys

import django


def main() -> None:
    django.setup()
    from gongkai.portal.builder import build_site
    from tests.factories import make_draft, make_people, make_tree, publish_entry

    count = int(sys.argv[1])
    tree = make_tree()
    people = make_people(tree)
    entries = []
    for i in range(count):
        entry = publish_entry(make_draft(tree, people, title=f"关于第{i + 1}批农村低保对象的公示"), people)
        entries.append({"id": entry.pk, "title": entry.title, "index_number": entry.index_number})
    build_site()
    print(json.dumps({"unit": tree.town.code, "slug": tree.town.slug, "entries": entries}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Run in a child process: take entries through the whole workflow, one after another, until killed.
Prints "ready" once Django is up, then the id of each entry as it is published."""

from __future__ import annotations

import sys

import django


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model

    from gongkai.orgs.models import Org
    from tests.factories import make_draft, publish_entry

    users = {u.username: u for u in get_user_model().objects.all()}
    people = {
        role: users[name]
        for role, name in (("drafter", "town_drafter"), ("reviewer", "town_reviewer"), ("signer", "town_signer"))
    }
    town = Org.objects.get(code=sys.argv[1])
    office = Org.objects.get(code="QH010101")  # the township's 民政办, as in tests/factories.make_tree
    tree = type("Tree", (), {"town": town, "office": office})()
    print("ready", flush=True)
    for i in range(int(sys.argv[2])):
        entry = publish_entry(make_draft(tree, people, title=f"连续发布测试第{i + 1}条"), people)
        print(entry.pk, flush=True)


if __name__ == "__main__":
    main()

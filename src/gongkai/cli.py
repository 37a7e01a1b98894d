"""The ``gongkai`` console script: everything ``manage.py`` does, plus our own commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["gongkai", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as exc:
        # A configuration mistake is the operator's to fix: say what, without a stack trace.
        sys.stderr.write(f"配置错误：{exc}\n")
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()

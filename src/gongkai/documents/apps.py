import sys

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gongkai.documents"
    label = "documents"
    verbose_name = "文档生成"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the font check that `gongkai migrate` runs)
            receivers,  # noqa: F401  (queues font builds and document jobs)
        )

        if sys.argv[1:2] in (["worker"], ["db_worker"]):
            # The task worker renders every PDF and letter: importing WeasyPrint (~0.7 s, its C bindings) and
            # python-docx when the worker starts, not inside the first document task, keeps the first render
            # as fast as the next (bench/bench_documents.py).
            import docx  # noqa: F401
            import weasyprint  # noqa: F401

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

# The staff pages answer DOCX and XLSX downloads directly (PDFs go to the task worker): importing their
# libraries when a web worker starts, not in its first download, keeps that download as fast as the next
# (bench/bench_documents.py).
import docx  # noqa: E402, F401
import openpyxl  # noqa: E402, F401

"""survey-report — 社区建设调研报告, a plangen plugin that lives outside plangen's own package.

It proves a new kind of document needs no change to the core: an input model (:mod:`.model`), facts
worked out from it and the plugin hooks (:mod:`.plugin`), and a template with its example input. Its
messages carry their own Chinese (``locale/zh_CN/LC_MESSAGES/plangen-survey-report.po``), chained
into plangen's catalogue here.
"""

from pathlib import Path

from plangen import add_catalogue

__version__ = "0.1.0"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "plangen-survey-report"

add_catalogue(LOCALE_DIR, DOMAIN)

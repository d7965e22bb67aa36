"""survey-report — 社区建设调研报告, a plangen plugin that lives outside plangen's own package.

It proves a new kind of document needs no change to the core: an input model (:mod:`.model`), facts
worked out from it and the plugin hooks (:mod:`.plugin`), and a template with its example input.
"""

__version__ = "0.1.0"

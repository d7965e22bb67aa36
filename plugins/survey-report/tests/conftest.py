"""The plugin's tests assert its English messages (the msgids); Chinese is tested in plangen's
tests/test_plans_chinese.py. Pinned before plangen reads the language."""

import os

os.environ["PLANGEN_LANG"] = "en"

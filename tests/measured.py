"""Run the plangen CLI in this process and append its peak memory (KiB) to $PLANGEN_MAXRSS_FILE at exit.

Used by the bad-input tests to hold every answer to a memory bound without extra tools.
"""

import atexit
import os
import resource
import sys


def _record() -> None:
    target = os.environ.get("PLANGEN_MAXRSS_FILE")
    if target:
        with open(target, "w", encoding="ascii") as fh:
            fh.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


atexit.register(_record)
from plangen.cli import main  # noqa: E402

sys.argv[0] = "plangen"
main()

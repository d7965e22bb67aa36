"""plangen: Chinese community work plans as GB/T 9704-2012 Word documents.

The library API lives in :mod:`plangen.api`; the CLI is a thin layer over it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plangen")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+src"

__all__ = ["__version__"]

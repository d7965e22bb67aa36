"""``plangen batch``: one plan per row of a roster (.xlsx or .csv), in parallel, nothing lost.

:mod:`~plangen.batch.roster` reads the roster, :mod:`~plangen.batch.mapping` matches columns to fields
and lays a row over the base input, :mod:`~plangen.batch.runner` runs the rows and writes the files,
:mod:`~plangen.batch.example` writes an example roster for a plan type (``plangen new TYPE --roster``).
"""

from plangen.batch.runner import BatchOptions, BatchResult, run_batch

__all__ = ["BatchOptions", "BatchResult", "run_batch"]

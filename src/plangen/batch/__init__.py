"""``plangen batch``: one plan per row of a roster (.xlsx or .csv), in parallel, nothing lost.

:mod:`~plangen.batch.roster` reads the roster, :mod:`~plangen.batch.mapping` matches columns to fields
and lays a row over the base input, :mod:`~plangen.batch.setup` prepares a batch (base, column map, hash
salt), :mod:`~plangen.batch.worker` renders rows in worker processes, :mod:`~plangen.batch.run` feeds
them and writes the files in roster order through :mod:`~plangen.batch.output`; :mod:`~plangen.batch.options`
holds what a batch is asked and what it reports. :mod:`~plangen.batch.example` writes an example roster
for a plan type (``plangen new TYPE --roster``).
"""

from plangen.batch.options import BatchOptions, BatchResult
from plangen.batch.run import run_batch

__all__ = ["BatchOptions", "BatchResult", "run_batch"]

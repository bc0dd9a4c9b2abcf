"""Forked worker processes, so that a build uses every core. A forked worker sees the parent as it
was (the casebook, the renderer) without copying or pickling it; only results travel back."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def forked_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` forked processes, or None where there is nothing to share or no fork (Windows)."""
    if workers < 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))

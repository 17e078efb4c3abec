"""Generous resource bounds for hostile-input tests, measured in the test process.

Never tight timings: the bounds are orders of magnitude above what a correct run needs and far
below what the attack used to take (minutes, gigabytes), so they tell a fix from a regression on
any machine.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Usage:
    seconds: float = 0.0
    peak_bytes: int = 0


@contextmanager
def measured() -> Iterator[Usage]:
    """CPU time (``time.process_time``) and the peak of Python allocations (tracemalloc)."""
    usage = Usage()
    tracemalloc.start()
    start = time.process_time()
    try:
        yield usage
    finally:
        usage.seconds = time.process_time() - start
        usage.peak_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


MB = 1024 * 1024

"""Running batches of learners: in this process, on a Dask LocalCluster, or on a cluster.

- ``scheduler="synchronous"``: every batch in this process, one after the other (debugging,
  and the reference the cluster runs are compared with);
- ``scheduler="local"`` (default): a :class:`dask.distributed.LocalCluster` of worker
  processes, one per core (``workers`` to choose), started and stopped here;
- ``scheduler="tcp://HOST:PORT"``: the scheduler of an existing cluster (its workers need
  pathways installed, at the same version).

The catalog is turned into its columnar form (:func:`pathways.io.snapshot.columnar`: Arrow
tables, cheap to pickle, objects built on the worker when used) and scattered to every worker
once; each task gets a batch of learners and the catalog's future. Batches are sized so that
there are about eight per worker (at least :data:`MIN_BATCH` learners, at most
:data:`MAX_BATCH`): a plan costs 10-500 ms and Dask a few ms per task, so the scheduling
overhead stays well under 5 % of the work while the batches still spread evenly. A task that
fails is retried twice; a worker that dies has its tasks run again elsewhere (Dask's own
bookkeeping), so every learner is in the result exactly once. Ctrl-C cancels what is left and
shuts the cluster down.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pathways.cohort._learners import LearnerInput
from pathways.domain import Catalog
from pathways.errors import InvalidParameterError, PathwaysError

__all__ = ["MAX_BATCH", "MIN_BATCH", "RunStats", "batch_size_for", "run_batches"]

MIN_BATCH = 4
MAX_BATCH = 256


@dataclass(frozen=True)
class RunStats:
    """How a run went: wall seconds, seconds spent inside tasks (their own wall clock, summed
    over workers), the number of tasks, workers and learners per task."""

    scheduler: str
    workers: int
    tasks: int
    batch_size: int
    learners: int
    wall: float
    task_time: float

    @property
    def overhead(self) -> float:
        """The share of the workers' time not spent inside tasks: scheduling, shipping data,
        waiting for work (a machine shared with other jobs slows tasks and the rest alike)."""
        capacity = self.wall * max(self.workers, 1)
        return max(0.0, 1.0 - self.task_time / capacity) if capacity > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"scheduler": self.scheduler, "workers": self.workers, "tasks": self.tasks,
                "batch_size": self.batch_size, "learners": self.learners,
                "wall_s": round(self.wall, 3), "task_time_s": round(self.task_time, 3),
                "overhead": round(self.overhead, 4)}


def batch_size_for(n: int, workers: int) -> int:
    """About eight batches per worker, within [MIN_BATCH, MAX_BATCH].

    >>> batch_size_for(10_000, 2), batch_size_for(10, 2), batch_size_for(1_000_000, 64)
    (256, 4, 256)
    """
    return max(MIN_BATCH, min(MAX_BATCH, math.ceil(n / max(1, 8 * workers))))


def _batches(items: Sequence[LearnerInput], size: int) -> list[list[LearnerInput]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def run_batches(task: Callable[..., tuple[Any, float]], catalog: Catalog,
                learners: Sequence[LearnerInput], options: dict[str, Any], *,
                scheduler: str = "local", workers: int | None = None,
                batch_size: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[list[Any], RunStats]:
    """``task(catalog, batch, options)`` over batches of ``learners``; the results in batch
    order (whatever order they finished in) and the run's statistics."""
    start = time.perf_counter()
    if scheduler == "synchronous":
        size = batch_size or batch_size_for(len(learners), 1)
        batches = _batches(learners, size)
        results, busy = [], 0.0
        for i, batch in enumerate(batches):
            value, spent = task(catalog, batch, options)
            results.append(value)
            busy += spent
            if progress:
                progress(i + 1, len(batches))
        return results, RunStats("synchronous", 1, len(batches), size, len(learners),
                                 time.perf_counter() - start, busy)
    return _distributed(task, catalog, learners, options, scheduler, workers, batch_size,
                        progress, start)


def _distributed(task: Callable[..., Any], catalog: Catalog, learners: Sequence[LearnerInput],
                 options: dict[str, Any], scheduler: str, workers: int | None,
                 batch_size: int | None, progress: Callable[[int, int], None] | None,
                 start: float) -> tuple[list[Any], RunStats]:
    from distributed import Client, LocalCluster, as_completed

    from pathways.io.snapshot import columnar

    cluster = None
    if scheduler == "local":
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=40)
        client = Client(cluster)
    elif scheduler.startswith(("tcp://", "tls://", "ucx://", "inproc://")):
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise PathwaysError(f"cannot reach the Dask scheduler at {scheduler}: {err}; start "
                                "one (dask scheduler) or use --scheduler local") from None
    else:
        raise InvalidParameterError(f"unknown scheduler {scheduler!r}: use local, synchronous or "
                            "tcp://HOST:PORT")
    futures: list[Any] = []
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        size = batch_size or batch_size_for(len(learners), n_workers)
        batches = _batches(learners, size)
        shipped = client.scatter(columnar(catalog), broadcast=True, hash=False)
        futures = [client.submit(task, shipped, batch, options, retries=2, pure=False)
                   for batch in batches]
        order = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        busy = 0.0
        for done, future in enumerate(as_completed(futures), 1):
            value, spent = future.result()
            results[order[future.key]] = value
            busy += spent
            if progress:
                progress(done, len(futures))
        return results, RunStats(scheduler, n_workers, len(batches), size, len(learners),
                                 time.perf_counter() - start, busy)
    except KeyboardInterrupt:
        client.cancel(futures)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

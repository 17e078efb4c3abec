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
overhead (the gaps between tasks, :attr:`RunStats.scheduling`) stays well under 5 % of the
work while the batches still spread evenly. A task that
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
    over workers), the number of tasks, workers and learners per task, and where the rest of
    the workers' time went, summed over workers (from the tasks' end times, so a remote
    cluster's clock skew blurs the split, not the totals):

    - ``head``: from the start of the run to a worker's first task (connecting, shipping the
      catalog, the first task reaching the worker);
    - ``gaps``: between two tasks on the same worker (the scheduling overhead proper);
    - ``tail``: from a worker's last task to the end of the run (waiting for the others'
      last batches, collecting results).
    """

    scheduler: str
    workers: int
    tasks: int
    batch_size: int
    learners: int
    wall: float
    task_time: float
    head: float = 0.0
    gaps: float = 0.0
    tail: float = 0.0

    @property
    def overhead(self) -> float:
        """The share of the workers' time not spent inside tasks: start-up, scheduling,
        waiting for the last tasks (a machine shared with other jobs slows tasks and the rest
        alike)."""
        capacity = self.wall * max(self.workers, 1)
        return max(0.0, 1.0 - self.task_time / capacity) if capacity > 0 else 0.0

    @property
    def scheduling(self) -> float:
        """The scheduling overhead: the gaps between tasks as a share of the time in tasks."""
        return self.gaps / self.task_time if self.task_time > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"scheduler": self.scheduler, "workers": self.workers, "tasks": self.tasks,
                "batch_size": self.batch_size, "learners": self.learners,
                "wall_s": round(self.wall, 3), "task_time_s": round(self.task_time, 3),
                "head_s": round(self.head, 3), "gaps_s": round(self.gaps, 3),
                "tail_s": round(self.tail, 3), "overhead": round(self.overhead, 4),
                "scheduling": round(self.scheduling, 4)}


def _split(timings: Sequence[tuple[float, float, str]], started: float, ended: float,
           workers: int = 1) -> tuple[float, float, float]:
    """``(head, gaps, tail)`` in seconds, summed over ``workers``, of tasks that each took
    ``spent`` seconds and ended at ``end`` (epoch) on ``where``, in a run from ``started`` to
    ``ended`` (epoch). A worker that ran no task was idle from start to end (its time is
    counted in ``head``).

    >>> _split([(1.0, 11.0, "a"), (1.0, 13.0, "a"), (2.0, 12.5, "b")], 10.0, 14.0)
    (0.5, 1.0, 2.5)
    >>> _split([(1.0, 11.0, "a")], 10.0, 14.0, workers=2)
    (4.0, 0.0, 3.0)
    """
    by_worker: dict[str, list[tuple[float, float]]] = {}
    for spent, end, where in timings:
        by_worker.setdefault(where, []).append((end - spent, end))
    head = gaps = tail = 0.0
    for spans in by_worker.values():
        spans.sort()
        head += max(0.0, spans[0][0] - started)
        gaps += sum(max(0.0, b[0] - a[1]) for a, b in zip(spans, spans[1:]))
        tail += max(0.0, ended - spans[-1][1])
    head += max(0, workers - len(by_worker)) * max(0.0, ended - started)
    return head, gaps, tail


def batch_size_for(n: int, workers: int) -> int:
    """About eight batches per worker, within [MIN_BATCH, MAX_BATCH].

    >>> batch_size_for(10_000, 2), batch_size_for(10, 2), batch_size_for(1_000_000, 64)
    (256, 4, 256)
    """
    return max(MIN_BATCH, min(MAX_BATCH, math.ceil(n / max(1, 8 * workers))))


def _batches(items: Sequence[LearnerInput], size: int) -> list[list[LearnerInput]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def run_batches(task: Callable[..., tuple[Any, tuple[float, float, str]]], catalog: Catalog,
                learners: Sequence[LearnerInput], options: dict[str, Any], *,
                scheduler: str = "local", workers: int | None = None,
                batch_size: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[list[Any], RunStats]:
    """``task(catalog, batch, options)`` over batches of ``learners``; the results in batch
    order (whatever order they finished in) and the run's statistics."""
    start = time.perf_counter()
    if scheduler == "synchronous":
        epoch = time.time()
        size = batch_size or batch_size_for(len(learners), 1)
        batches = _batches(learners, size)
        results, timings = [], []
        for i, batch in enumerate(batches):
            value, timing = task(catalog, batch, options)
            results.append(value)
            timings.append(timing)
            if progress:
                progress(i + 1, len(batches))
        return results, _stats("synchronous", 1, len(batches), size, len(learners),
                               time.perf_counter() - start, timings, epoch)
    return _distributed(task, catalog, learners, options, scheduler, workers, batch_size,
                        progress, start)


def _stats(scheduler: str, workers: int, tasks: int, size: int, learners: int, wall: float,
           timings: Sequence[tuple[float, float, str]], epoch: float) -> RunStats:
    head, gaps, tail = _split(timings, epoch, epoch + wall, workers)
    return RunStats(scheduler, workers, tasks, size, learners, wall,
                    sum(t[0] for t in timings), head, gaps, tail)


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
    epoch = time.time() - (time.perf_counter() - start)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
        size = batch_size or batch_size_for(len(learners), n_workers)
        batches = _batches(learners, size)
        shipped = client.scatter(columnar(catalog), broadcast=True, hash=False)
        futures = [client.submit(task, shipped, batch, options, retries=2, pure=False)
                   for batch in batches]
        order = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        timings = []
        for done, future in enumerate(as_completed(futures), 1):
            value, timing = future.result()
            results[order[future.key]] = value
            timings.append(timing)
            if progress:
                progress(done, len(futures))
        return results, _stats(scheduler, n_workers, len(batches), size, len(learners),
                               time.perf_counter() - start, timings, epoch)
    except KeyboardInterrupt:
        client.cancel(futures)
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""Grade an archive on a Dask cluster with the debrief Python package.

Each task grades a contiguous slice of the inputs, in the order ``debrief grade``
grades them, and returns the exact JSON Lines the command line writes; the bag keeps
the slices' order, so the file this writes is byte for byte the output of
``debrief grade PATH... --format jsonl`` on one machine.

    python examples/dask_grade.py results.jsonl /archive            # a local cluster
    python examples/dask_grade.py results.jsonl /archive --scheduler tcp://host:8786

Each worker process compiles the default rubric once (about 20 ms) and reuses it.
"""

from __future__ import annotations

import argparse
import functools
import os
import tempfile
from typing import Iterable, List, Optional, Sequence

import dask.bag as db

import debrief


@functools.lru_cache(maxsize=None)
def _rubric(path: Optional[str]) -> debrief.Rubric:
    return debrief.Rubric.load(path) if path else debrief.Rubric.default()


def _grade_partition(paths: Iterable[str], rubric_path: Optional[str]) -> List[str]:
    # One thread per task: Dask already runs one task per worker thread.
    return _rubric(rubric_path).grade_lines(list(paths), jobs=1)


def grade_archive(
    paths: Sequence[str],
    output: str,
    client=None,
    rubric_path: Optional[str] = None,
    files_per_task: int = 64,
    timeout: Optional[float] = None,
) -> int:
    """Grades ``paths`` (files and folders) on the cluster ``client`` is connected to
    (the current Dask scheduler when ``None``) and writes JSON Lines to ``output``,
    atomically; returns the number of evaluations written. ``timeout`` (seconds)
    bounds the wait for the cluster."""
    inputs = debrief.discover(paths)
    partitions = max(1, -(-len(inputs) // files_per_task))
    bag = db.from_sequence(inputs, npartitions=partitions).map_partitions(
        _grade_partition, rubric_path
    )
    lines = bag.compute() if client is None else client.compute(bag).result(timeout)
    folder = os.path.dirname(os.path.abspath(output))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False) as out:
        for line in lines:
            out.write(line)
            out.write("\n")
    os.replace(out.name, output)
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="the JSON Lines file to write")
    parser.add_argument("paths", nargs="+", help="transcript files and folders")
    parser.add_argument("--scheduler", help="a Dask scheduler address (default: a local cluster)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--rubric", help="a rubric file (default: the embedded rubric)")
    args = parser.parse_args()

    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True)
        client = Client(cluster)
    with client:
        written = grade_archive(args.paths, args.output, client, args.rubric)
    print(f"wrote {written} evaluations to {args.output}")


if __name__ == "__main__":
    main()

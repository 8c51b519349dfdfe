"""Helpers every layer uses: the clock, chunking, atomic file writes, output-path checks.

They live in the bottom package so that `curate` and `db` can use them without any
package importing one above it.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")


def now() -> str:
    """The application's clock: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` items from any iterable."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def chunks(values: Sequence[T], size: int = 500) -> Iterator[Sequence[T]]:
    """Slices of a sequence small enough for one `in (?, ...)` under SQLite's variable limit."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


class SamePathError(ValueError):
    """An output path that is one of the command's inputs."""


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when two paths name one file: equal, through a symlink, or a hard link."""
    pa, pb = Path(a), Path(b)
    try:
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    except OSError:
        pass
    return pa.resolve() == pb.resolve()


def refuse_overwrite(out: str | os.PathLike, *inputs: str | os.PathLike | None) -> None:
    """Raise SamePathError when `out` would overwrite an input (or its SQLite side files)."""
    for source in inputs:
        if source is None:
            continue
        for suffix in ("", "-wal", "-shm", "-journal"):
            if same_file(out, str(source) + suffix):
                raise SamePathError(f"output {out} is the input {source}{suffix}: "
                                    "choose another output file")


@contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w",
                 encoding: str | None = "utf-8") -> Iterator[IO]:
    """Write to `path.partial`, then rename over `path`: readers never see half a file. The
    data is flushed and synced before the rename, so a full disk is an error, not a short
    file. A path that is no regular file (a device such as /dev/stdout, a pipe) is written
    as it is: renaming a file over a device would replace the device."""
    path = Path(path)
    kwargs = {} if "b" in mode else {"encoding": encoding}
    if path.exists() and not path.is_file():
        with open(path, mode, **kwargs) as handle:
            yield handle
            handle.flush()  # a write error (ENOSPC on /dev/full) surfaces here
        return
    tmp = path.with_name(path.name + ".partial")
    try:
        with open(tmp, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()

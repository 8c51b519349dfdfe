"""Shards: the records of one PubMed baseline or update file that mention the panel, with
every deletion of the file, as gzipped JSON Lines, written by one workflow job each and
merged into the working database in file-name order (`higm shard`, `higm merge`).

A shard is written beside its name and renamed into place (`atomic_write`), so a merge never
reads half of one; a file that is not PubMed XML, is truncated or has a record without a
PMID fails its own job with a one-line reason naming the file.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from harvest.common import atomic_write
from harvest.panel_filter import element_mentions_panel
from harvest.parse import PubMedXMLError, parse
from harvest.records import Article, Author, Deletion, MeshHeading, OffPanel


@dataclass
class ShardCounts:
    read: int = 0       # article records in the file
    kept: int = 0       # of those, mentioning the panel
    deletions: int = 0  # PMIDs the file deletes


def on_topic(path: Path, counts: ShardCounts | None = None) -> Iterator:
    """The records of a PubMed file to keep: articles that mention the panel (decided on the
    XML, before the article is built), every deletion (an article deleted later must leave
    the database whatever it said)."""
    for record in parse(path, keep=element_mentions_panel):
        if isinstance(record, (Article, OffPanel)):
            if counts is not None:
                counts.read += 1
                counts.kept += isinstance(record, Article)
            if isinstance(record, Article):
                yield record
        elif isinstance(record, Deletion):
            if counts is not None:
                counts.deletions += len(record.pmids)
            yield record


def write_shard(source: str | Path, out: str | Path) -> ShardCounts:
    source, counts = Path(source), ShardCounts()
    try:
        with atomic_write(out, "wb", encoding=None) as raw:
            with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
                for record in on_topic(source, counts):
                    kind = "article" if isinstance(record, Article) else "deletion"
                    data = {"kind": kind, **asdict(record)}
                    handle.write((json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
    except PubMedXMLError as exc:
        message = str(exc)
        raise PubMedXMLError(message if str(source) in message else f"{source}: {message}") from None
    return counts


def read_shard(path: str | Path) -> Iterator:
    """The records of a shard, as the parser gave them."""
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                data = json.loads(line)
                kind = data.pop("kind")
                if kind == "deletion":
                    yield Deletion(data["pmids"])
                    continue
                data["authors"] = [Author(**a) for a in data["authors"]]
                data["mesh"] = [MeshHeading(**m) for m in data["mesh"]]
                for name in ("abstract_sections", "keywords", "publication_types", "chemicals"):
                    data[name] = [tuple(item) for item in data[name]]
                yield Article(**data)
    except (OSError, EOFError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise PubMedXMLError(f"{path}: not a complete shard ({exc})") from None


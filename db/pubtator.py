"""Articles with their mentions and claims in PubTator's text format, so PubTator-based tools
(and BioRED-style relation readers) can load them:

    PMID|t|title
    PMID|a|abstract
    PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>identifier      (one line per mention)
    PMID<TAB>relation<TAB>subject id<TAB>object id             (one line per claim)
    <blank line>

Offsets count over "title abstract" joined by one character, as PubTator's do. Genes carry
their NCBI Gene ID, phenotypes their HPO ID, disease names the project's disease key and
therapies their therapy key. A claim is `Association`, or `Negative_Association` when the
abstract states it is absent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import sqlite_utils

from harvest.common import atomic_write
from harvest.panel import gene_lexicon, subject_gene

TYPES = {"GENE": "Gene", "DISEASE": "Disease", "PHENOTYPE": "Phenotype", "THERAPY": "Therapy"}


class PubTatorError(ValueError):
    pass


@dataclass
class PubTatorDoc:
    pmid: str
    title: str = ""
    abstract: str = ""
    mentions: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"{self.title} {self.abstract}" if self.abstract else self.title


def _gene_id(symbol: str) -> str:
    record = gene_lexicon()["genes"].get(symbol)
    return record["entrez_id"] if record and record.get("entrez_id") else symbol


def _one_line(value: str | None) -> str:
    """Line breaks and tabs become spaces one for one, so offsets stay valid."""
    return (value or "").replace("\r", " ").replace("\n", " ").replace("\t", " ")


def write_pubtator(db: sqlite_utils.Database, out: str | Path, status: str = "accepted") -> int:
    """With 'accepted', every article with an accepted claim; with 'any', every article the
    extractor has read, with all its mentions, claims or not (so others can load the
    recognition output itself). Returns the count of articles written."""
    where = "active = 1" + (" and status = 'accepted'" if status == "accepted"
                            else " and status != 'rejected'")
    claims: dict[str, list[dict]] = {}
    for c in db.query(f"select * from claims where {where} order by pmid, type, subject, object"):
        claims.setdefault(c["pmid"], []).append(c)
    pmids = set(claims)
    if status != "accepted":
        pmids |= {r[0] for r in db.execute("select pmid from extraction_state")}
    written = 0
    with atomic_write(out) as fh:
        for pmid in sorted(pmids):
            article = db.execute("select title, abstract from articles where pmid = ?",
                                 [pmid]).fetchone()
            if article is None:
                continue
            title, abstract = article
            # the pipeline's text is "title\nabstract": one character between, as here
            fh.write(f"{pmid}|t|{_one_line(title)}\n")
            fh.write(f"{pmid}|a|{_one_line(abstract)}\n")
            for m in db.query("select start, end, text, kind, norm_id from mentions "
                              "where pmid = ? order by start", [pmid]):
                identifier = _gene_id(m["norm_id"]) if m["kind"] == "GENE" else m["norm_id"]
                fh.write(f"{pmid}\t{m['start']}\t{m['end']}\t{_one_line(m['text'])}\t"
                         f"{TYPES.get(m['kind'], m['kind'])}\t{identifier}\n")
            for c in claims.get(pmid, []):
                subject = subject_gene(c["subject"])
                subject_id = _gene_id(subject) if subject in gene_lexicon()["genes"] else subject
                relation = "Negative_Association" if c["negated"] else "Association"
                fh.write(f"{pmid}\t{relation}\t{subject_id}\t{c['hpo'] or c['therapy']}\n")
            fh.write("\n")
            written += 1
    return written


def read_pubtator(handle: IO[str], name: str = "pubtator file") -> list[PubTatorDoc]:
    """Parse PubTator text; checks that every mention's text is the text at its offsets."""
    docs: list[PubTatorDoc] = []
    current: PubTatorDoc | None = None
    for number, line in enumerate(handle, 1):
        line = line.rstrip("\n")
        if not line:
            current = None
            continue
        if "|t|" in line[:20] or "|a|" in line[:20]:
            pmid, part, text = line.split("|", 2)
            if current is None or current.pmid != pmid:
                current = PubTatorDoc(pmid)
                docs.append(current)
            if part == "t":
                current.title = text
            else:
                current.abstract = text
            continue
        fields = line.split("\t")
        if current is None or fields[0] != current.pmid:
            raise PubTatorError(f"{name}: line {number}: annotation outside its document")
        if len(fields) == 6:
            start, end = int(fields[1]), int(fields[2])
            if current.text[start:end] != fields[3]:
                raise PubTatorError(f"{name}: line {number}: offsets {start}-{end} do not hold "
                                    f"{fields[3]!r}")
            current.mentions.append((start, end, fields[3], fields[4], fields[5]))
        elif len(fields) == 4:
            current.relations.append((fields[1], fields[2], fields[3]))
        else:
            raise PubTatorError(f"{name}: line {number}: {len(fields)} fields")
    return docs

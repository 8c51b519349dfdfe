"""Articles with their mentions and claims in PubTator's text format, in PubTator's own
types and identifiers, so PubTator-based tools (and BioRED-style relation readers, and
`bioc`'s validator) load them:

    PMID|t|title
    PMID|a|abstract
    PMID<TAB>start<TAB>end<TAB>text<TAB>type<TAB>identifier      (one line per mention)
    PMID<TAB>relation<TAB>subject id<TAB>object id             (one line per claim)
    <blank line>

Types and identifiers: `Gene` by NCBI Gene ID; `Disease` by OMIM ("OMIM:308230") or MeSH
("MESH:D053306"), "-" where neither is known; `Chemical` (drugs, agents) by MeSH. Two
types PubTator does not have, documented here: `Phenotype` by HPO ID and `Procedure`
(transplantation, gene therapy) by MeSH. Offsets count over "title abstract" joined by one
character, as PubTator's do. A claim is `Association`, or `Negative_Association` when the
abstract states it is absent; each relation names IDs that are mentions of its document (a
claim's finding is written as a mention at its evidence offsets if no mention holds it; a
claim whose subject is named in the abstract by no mention with an ID is left out).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import sqlite_utils

from harvest.common import atomic_write
from curate.vocab_keys import disease_entries, disease_entry_key, therapies
from harvest.panel import disease_of, gene_lexicon, subject_gene

TYPES = {"GENE": "Gene", "DISEASE": "Disease", "PHENOTYPE": "Phenotype"}
# diseases with no OMIM entry of their own, by MeSH
MESH_DISEASES = {"HIGM": "MESH:D053306", "APDS": "-"}


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


def disease_id(entry: str) -> str:
    """A disease mention's PubTator ID from its name entry: the entry's own OMIM number
    (incontinentia pigmenti is not EDA-ID, though both are IKBKG's), else its disease's,
    else MeSH, else "-" (PubTator's mark for a mention with no ID)."""
    own = disease_entries().get(entry, {}).get("omim")
    if own:
        return f"OMIM:{own}"
    key = disease_entry_key(entry)  # a name entry ("XLA", "AT") -> its key ("BTK", "ATM")
    disease = disease_of(key)
    if disease is not None and disease.omim:
        return f"OMIM:{disease.omim}"
    return MESH_DISEASES.get(key, "-")


def therapy_mention(key: str) -> tuple[str, str]:
    """(type, ID) of a therapy: Chemical or Procedure, by MeSH."""
    info = therapies().get(key, {})
    kind = "Procedure" if info.get("kind") == "procedure" else "Chemical"
    return kind, f"MESH:{info['mesh']}" if info.get("mesh") else "-"


def _mentions(db: sqlite_utils.Database, pmid: str) -> list[tuple[int, int, str, str, str]]:
    found = []
    for m in db.query("select start, end, text, kind, norm_id from mentions "
                      "where pmid = ? order by start", [pmid]):
        if m["kind"] == "GENE":
            kind, identifier = "Gene", _gene_id(m["norm_id"])
        elif m["kind"] == "DISEASE":
            kind, identifier = "Disease", disease_id(m["norm_id"])
        elif m["kind"] == "THERAPY":
            kind, identifier = therapy_mention(m["norm_id"])
        else:
            kind, identifier = TYPES.get(m["kind"], m["kind"]), m["norm_id"]
        found.append((m["start"], m["end"], _one_line(m["text"]), kind, identifier))
    return found


def _subject_id(subject: str, mentions: list[tuple]) -> str | None:
    """The ID under which the abstract names the claim's subject: its gene's NCBI ID where
    a gene mention has it, else the ID of a mention of its disease; None if neither."""
    gene = subject_gene(subject)
    ids = {m[4] for m in mentions}
    if gene in gene_lexicon()["genes"] and _gene_id(gene) in ids:
        return _gene_id(gene)
    disease = disease_id(subject)
    if disease != "-" and disease in ids:
        return disease
    return None


def write_pubtator(db: sqlite_utils.Database, out: str | Path, status: str = "accepted",
                   nested_parents: bool = False) -> int:
    """With 'accepted', every article with an accepted claim; with 'any', every article the
    extractor has read, with all its mentions, claims or not (so others can load the
    recognition output itself). `nested_parents` adds the broader HPO terms named inside a
    phenotype mention ('hearing loss' in 'sensorineural hearing loss'), as GSC+ annotates
    them (curate/nlp/nested.py). Returns the count of articles written."""
    find_parents = None
    if nested_parents:
        from curate.nlp.nested import nested_parent_finder
        from curate.nlp.pipeline import load
        find_parents = nested_parent_finder(load())
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
            text = f"{_one_line(title)} {_one_line(abstract)}" if abstract else _one_line(title)
            mentions = _mentions(db, pmid)
            if find_parents is not None:
                taken = {(m[0], m[1], m[4]) for m in mentions}
                for start, end, _, kind, hpo_id in list(mentions):
                    if kind != "Phenotype":
                        continue
                    for found in find_parents(text, start, end, hpo_id):
                        if found not in taken:
                            taken.add(found)
                            mentions.append((found[0], found[1], text[found[0]:found[1]],
                                             "Phenotype", found[2]))
            relations = []
            for c in claims.get(pmid, []):
                kind, obj = ("Phenotype", c["hpo"]) if c["type"] == "gene_phenotype" \
                    else therapy_mention(c["therapy"])
                # the finding where the claim read it, so the relation's object is a mention
                for start, end in json.loads(c["evidence"] or "[]")[:1]:
                    if obj != "-" and 0 <= start < end <= len(text) and not any(
                            m[0] == start and m[4] == obj for m in mentions):
                        mentions.append((start, end, text[start:end], kind, obj))
                subject = _subject_id(c["subject"], mentions)
                if subject is None or obj == "-" or obj not in {m[4] for m in mentions}:
                    continue  # no mention names it: a relation no reader could resolve
                relation = "Negative_Association" if c["negated"] else "Association"
                relations.append(f"{pmid}\t{relation}\t{subject}\t{obj}\n")
            # the pipeline's text is "title\nabstract": one character between, as here
            fh.write(f"{pmid}|t|{_one_line(title)}\n")
            fh.write(f"{pmid}|a|{_one_line(abstract)}\n")
            for start, end, mention, kind, identifier in sorted(mentions):
                fh.write(f"{pmid}\t{start}\t{end}\t{mention}\t{kind}\t{identifier}\n")
            fh.writelines(dict.fromkeys(relations))
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

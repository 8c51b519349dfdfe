"""Accepted gene/disease -> phenotype claims in the HPO project's annotation format
(`phenotype.hpoa`: a few `#key: value` header lines, then a tab-separated table), and a
reader that checks a file of that format line by line."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import sqlite_utils

from curate import hpo
from db.claim_attributes import filled
from curate.store import latest_for
from harvest.common import atomic_write, now
from harvest.panel import DISEASE_KEYS

COLUMNS = ["database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence",
           "onset", "frequency", "sex", "modifier", "aspect", "biocuration"]
# the disease each gene subject stands for, where the panel names one
_GENE_DISEASE = {d.gene: d for d in DISEASE_KEYS.values() if d.gene}


class HpoaError(ValueError):
    pass


@dataclass
class HpoaRow:
    database_id: str
    disease_name: str
    qualifier: str
    hpo_id: str
    reference: str
    evidence: str
    biocuration: str


def disease_for(subject: str) -> tuple[str, str]:
    """(database_id, name) for a claim subject: OMIM where the panel knows the disease."""
    disease = DISEASE_KEYS.get(subject) or _GENE_DISEASE.get(subject)
    if disease is not None and disease.omim:
        return f"OMIM:{disease.omim}", disease.name
    if disease is not None:
        return f"HIGM-EVIDENCE:{disease.key}", disease.name
    return f"HIGM-EVIDENCE:{subject}", f"{subject}-related disease"


def write_hpoa(db: sqlite_utils.Database, out: str | Path) -> int:
    """Accepted human phenotype claims, one row per (disease, qualifier, HPO term, PMID)."""
    ontology = hpo.load()
    decisions = latest_for(db)
    rows: dict[tuple, list] = {}
    for claim in db.query("select * from claims where active = 1 and status = 'accepted' and "
                          "type = 'gene_phenotype' order by subject, hpo, pmid"):
        # only human claims are disease annotations; a curator-added claim has no species
        # of its own, so it is read from the article (a mouse paper's claim stays out)
        if filled(db, claim)[0] not in ("human", None):
            continue
        database_id, name = disease_for(claim["subject"])
        qualifier = "NOT" if claim["negated"] else ""
        decision = decisions.get(claim["claim_key"]) or {}
        day = (decision.get("decided_at") or now())[:10]
        curator = decision.get("curator") or "higm"
        key = (database_id, qualifier, claim["hpo"], f"PMID:{claim['pmid']}")
        if key in rows or claim["hpo"] not in ontology.terms:
            continue
        rows[key] = [database_id, name, qualifier, claim["hpo"], f"PMID:{claim['pmid']}", "PCS",
                     "", "", "", "", "P", f"HIGM:{curator}[{day}]"]
    with atomic_write(out) as fh:
        fh.write("#description: \"HIGM Evidence: curator-accepted phenotype annotations\"\n")
        fh.write(f"#version: {now()[:10]}\n")
        fh.write("#tracker: https://github.com/obophenotype/human-phenotype-ontology/issues\n")
        fh.write(f"#hpo-version: {ontology.release}\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows.values())
    return len(rows)


def read_hpoa(handle: IO[str], name: str = "hpoa file") -> list[HpoaRow]:
    """Parse and check a phenotype.hpoa file; errors name the line."""
    rows: list[HpoaRow] = []
    header_seen = False
    for number, line in enumerate(handle, 1):
        line = line.rstrip("\n")
        if line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if fields != COLUMNS:
                raise HpoaError(f"{name}: line {number}: expected the column header {COLUMNS}")
            header_seen = True
            continue
        if len(fields) != len(COLUMNS):
            raise HpoaError(f"{name}: line {number}: {len(fields)} fields, expected {len(COLUMNS)}")
        record = dict(zip(COLUMNS, fields))
        if ":" not in record["database_id"] or not record["hpo_id"].startswith("HP:"):
            raise HpoaError(f"{name}: line {number}: bad disease or HPO ID")
        if record["qualifier"] not in ("", "NOT"):
            raise HpoaError(f"{name}: line {number}: qualifier must be empty or NOT")
        if not record["reference"].startswith("PMID:"):
            raise HpoaError(f"{name}: line {number}: reference must be a PMID")
        if record["evidence"] not in ("PCS", "TAS", "IEA"):
            raise HpoaError(f"{name}: line {number}: unknown evidence code {record['evidence']!r}")
        rows.append(HpoaRow(record["database_id"], record["disease_name"], record["qualifier"],
                            record["hpo_id"], record["reference"], record["evidence"],
                            record["biocuration"]))
    if not header_seen:
        raise HpoaError(f"{name}: no column header")
    return rows

"""Accepted gene/disease -> phenotype claims in the HPO project's annotation format
(`phenotype.hpoa`: a few `#key: value` header lines, then a tab-separated table), and a
reader that checks a file of that format line by line."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import sqlite_utils

from curate import hpo
from curate.frequency import claim_frequency, combined
from db.claim_attributes import filled
from curate.store import latest_for
from harvest.common import atomic_write, now
from harvest.panel import disease_of

COLUMNS = ["database_id", "disease_name", "qualifier", "hpo_id", "reference", "evidence",
           "onset", "frequency", "sex", "modifier", "aspect", "biocuration"]


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


def disease_for(subject: str) -> tuple[str, str] | None:
    """(database_id, name) in HPO's own terms for a claim subject: the OMIM entry of its
    disease (a gene's own, as ATM -> OMIM:208900), else its Orphanet entry (APDS), else None:
    a subject with no such entry ('HIGM', a gene not stated) is left out, not given a private
    ID a reader would drop."""
    disease = disease_of(subject)
    if disease is None:
        return None
    if disease.omim:
        return f"OMIM:{disease.omim}", disease.name
    if disease.orpha:
        return f"ORPHA:{disease.orpha}", disease.name
    return None


@dataclass
class _Annotation:
    name: str
    references: list[str]
    frequencies: list
    curators: dict[str, str]  # curator -> latest decision day


def write_hpoa(db: sqlite_utils.Database, out: str | Path) -> int:
    """Accepted human phenotype claims, one row per (disease, qualifier, HPO term), its PMIDs
    joined with ';' (HPO's own files do the same), its frequency where the papers state one
    (their n/m summed), and the curators with their latest decision day. Returns the rows."""
    ontology = hpo.load()
    decisions = latest_for(db)
    rows: dict[tuple, _Annotation] = {}
    left_out: dict[str, int] = {}
    for claim in db.query("select * from claims where active = 1 and status = 'accepted' and "
                          "type = 'gene_phenotype' order by subject, hpo, pmid"):
        # only human claims are disease annotations; a curator-added claim has no species
        # of its own, so it is read from the article (a mouse paper's claim stays out)
        if filled(db, claim)[0] not in ("human", None) or claim["hpo"] not in ontology.terms:
            continue
        disease = disease_for(claim["subject"])
        if disease is None:
            left_out[claim["subject"]] = left_out.get(claim["subject"], 0) + 1
            continue
        database_id, name = disease
        key = (database_id, "NOT" if claim["negated"] else "", claim["hpo"])
        row = rows.setdefault(key, _Annotation(name, [], [], {}))
        reference = f"PMID:{claim['pmid']}"
        if reference in row.references:
            continue
        row.references.append(reference)
        frequency = claim_frequency(claim)
        if frequency is not None:
            row.frequencies.append(frequency)
        decision = decisions.get(claim["claim_key"]) or {}
        curator = decision.get("curator") or "higm"
        day = (decision.get("decided_at") or now())[:10]
        row.curators[curator] = max(day, row.curators.get(curator, ""))
    with atomic_write(out) as fh:
        fh.write("#description: \"HIGM Evidence: curator-accepted phenotype annotations\"\n")
        fh.write(f"#version: {now()[:10]}\n")
        fh.write("#tracker: https://github.com/obophenotype/human-phenotype-ontology/issues\n")
        fh.write(f"#hpo-version: {ontology.release}\n")
        if left_out:
            fh.write(f"#left-out: {sum(left_out.values())} accepted claims whose subject has no "
                     "OMIM or Orphanet entry (" + ", ".join(
                         f"{s} {n}" for s, n in sorted(left_out.items())) + ")\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for (database_id, qualifier, hpo_id), row in rows.items():
            # HPO's frequency column takes n/m or a percentage; only for what is present
            frequency = combined(row.frequencies) if not qualifier else ""
            biocuration = ";".join(f"HIGM:{c}[{d}]" for c, d in sorted(row.curators.items()))
            writer.writerow([database_id, row.name, qualifier, hpo_id, ";".join(row.references),
                             "PCS", "", frequency, "", "", "P", biocuration])
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
        if not all(r.startswith("PMID:") and r[5:].isdigit() for r in record["reference"].split(";")):
            raise HpoaError(f"{name}: line {number}: references must be PMIDs joined with ';'")
        if record["frequency"] and not re.fullmatch(
                r"\d+/\d+|\d+(\.\d+)?%|HP:\d{7}", record["frequency"]):
            raise HpoaError(f"{name}: line {number}: frequency must be n/m, a percentage or an "
                            f"HPO frequency term, not {record['frequency'][:20]!r}")
        if record["evidence"] not in ("PCS", "TAS", "IEA"):
            raise HpoaError(f"{name}: line {number}: unknown evidence code {record['evidence']!r}")
        rows.append(HpoaRow(record["database_id"], record["disease_name"], record["qualifier"],
                            record["hpo_id"], record["reference"], record["evidence"],
                            record["biocuration"]))
    if not header_seen:
        raise HpoaError(f"{name}: no column header")
    return rows

"""Light look-ups of vocabulary keys, without building the spaCy patterns: the review
server and validation need the therapy keys, not 130,000 phrases."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files


def read_lexicon(name: str) -> str:
    """A file of `curate/lexicons/`, wherever the package is installed."""
    return (files("curate") / "lexicons" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def therapies() -> dict[str, dict]:
    return json.loads(read_lexicon("therapies.json"))["therapies"]


@lru_cache(maxsize=1)
def disease_entries() -> dict[str, dict]:
    """The extractor's disease name entries (`lexicons/diseases.json`): entry -> its names,
    the disease key or gene it stands for (`key`, default the entry itself), `gene`, and
    `omim` where the name is a disease of its own that shares the key's gene."""
    return json.loads(read_lexicon("diseases.json"))["diseases"]


def disease_entry_key(entry: str) -> str:
    """A mention's disease entry ("XLA", "HIGM1_nohigm") -> its disease key or gene ("BTK",
    "HIGM1"); an unknown entry as given."""
    info = disease_entries().get(entry)
    return (info.get("key") or entry) if info else entry


def read_synonyms() -> list[tuple[str, str]]:
    """(phrase, HPO ID) rows of the domain synonyms, `lexicons/phenotype_synonyms.tsv`."""
    import csv
    lines = [line for line in read_lexicon("phenotype_synonyms.tsv").splitlines()
             if line.strip() and not line.startswith("#")]
    return [(row["phrase"].strip(), row["hpo"].strip())
            for row in csv.DictReader(lines, delimiter="\t")]


def therapy_keys() -> frozenset[str]:
    return frozenset(therapies())

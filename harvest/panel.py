"""The domain's one list of names: the gene panel harvested by default, the genes a HIGM
curator tracks (claim subjects), the disease keys and the therapy outcomes.

Everything comes from `harvest/panel.json` (and the HGNC records in `harvest/genes.json`),
read as package resources; harvest queries, the vocabulary, evaluation, the review form,
publishing and the CLI help all read it from here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


def read_resource(name: str) -> str:
    """A data file of the harvest package, wherever the package is installed."""
    return (files("harvest") / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def panel_config() -> dict:
    return json.loads(read_resource("panel.json"))


@lru_cache(maxsize=1)
def gene_lexicon() -> dict:
    """The HGNC-derived gene records (harvest/genes.json), keyed by approved symbol."""
    data = json.loads(read_resource("genes.json"))
    return {"source": data["source"], "release": data["release"],
            "genes": {g["symbol"]: g for g in data["genes"]}}


@dataclass(frozen=True)
class DiseaseKey:
    key: str
    gene: str | None
    name: str
    omim: str | None
    inheritance: str | None
    orpha: str | None = None  # Orphanet, where no single OMIM entry exists ("APDS")


_CONFIG = panel_config()
DEFAULT_PANEL: tuple[str, ...] = tuple(_CONFIG["default_panel"])
SUBJECT_GENES: tuple[str, ...] = tuple(_CONFIG["subject_genes"])
DISEASE_KEYS: dict[str, DiseaseKey] = {
    key: DiseaseKey(key, v["gene"], v["name"], v.get("omim"), v.get("inheritance"), v.get("orpha"))
    for key, v in _CONFIG["disease_keys"].items()}
# the classic disease of a subject gene with no disease key (ATM: ataxia-telangiectasia)
GENE_DISEASES: dict[str, DiseaseKey] = {
    gene: DiseaseKey(gene, gene, v["name"], v.get("omim"), None, v.get("orpha"))
    for gene, v in _CONFIG.get("gene_diseases", {}).items() if not gene.startswith("_")}
# disease keys that stand for one gene (HIGM1 = CD40LG); evaluation counts them as the gene
DISEASE_GENES: dict[str, str] = {k: d.gene for k, d in DISEASE_KEYS.items() if d.gene}
# subjects that are not genes: the disease keys with no single gene
GENELESS_KEYS: tuple[str, ...] = tuple(k for k, d in DISEASE_KEYS.items() if not d.gene)
GENE_LABELS: dict[str, str] = dict(_CONFIG["gene_labels"])
_DISEASE_OF_GENE: dict[str, DiseaseKey] = {d.gene: d for d in DISEASE_KEYS.values() if d.gene}
OUTCOMES: tuple[str, ...] = tuple(_CONFIG["outcomes"])


def is_subject(value: str) -> bool:
    """A tracked gene symbol or a disease key."""
    return value in SUBJECT_GENES or value in DISEASE_KEYS


def disease_of(subject: str) -> DiseaseKey | None:
    """The disease a subject stands for: a disease key's own, its gene's disease key
    (CD40LG -> HIGM1), or the classic disease of a gene with no key (ATM); None otherwise."""
    return DISEASE_KEYS.get(subject) or _DISEASE_OF_GENE.get(subject) or GENE_DISEASES.get(subject)


def subject_gene(value: str) -> str:
    """The gene a subject stands for (HIGM1 -> CD40LG); other subjects are returned as given."""
    return DISEASE_GENES.get(value, value)

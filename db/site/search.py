"""What the site's one search box finds: genes by symbol or alias, diseases by key or any
name the extractor knows (curate/lexicons/diseases.json), HPO terms by name or synonym,
therapies by name or term, and the articles that say any of these, each with its accepted
claims. Plain functions over the published database; no spaCy.

Names are compared folded ("hyper immunoglobulin M", "Hyper-IgM" and "hyper IgM" are one),
so a researcher's spelling finds the disease, and the disease's own names find its articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from curate.vocab_keys import disease_entries, therapies
from harvest.panel import DISEASE_KEYS

MAX_ARTICLES = 25
# matches counted and ranked up to this many; beyond it the newest are listed
COUNT_BOUND = 2000
MAX_PHRASES = 12  # disease names added to the article search: enough, and a bounded query


def fold(text: str) -> str:
    """Lower case, 'immunoglobulin M' as 'igm', letters and digits only."""
    text = re.sub(r"immunoglobulin\s*([mgaed])\b", r"ig\1", text.lower())
    return re.sub(r"[^0-9a-z]+", "", text)


@dataclass
class DiseaseMatch:
    key: str            # the disease key or the lexicon's entry key
    name: str
    gene: str | None
    page: str | None    # '/disease/KEY' or '/gene/SYMBOL'
    names: list[str] = field(default_factory=list)
    folded: tuple[str, ...] = ()  # the names folded, once per process


@lru_cache(maxsize=1)
def _diseases() -> list[DiseaseMatch]:
    """Every disease the extractor knows, with its names, merged per disease key."""
    merged: dict[str, DiseaseMatch] = {}
    for entry, info in disease_entries().items():
        key = info.get("key") or entry
        panel = DISEASE_KEYS.get(key)
        gene = info.get("gene") or (panel.gene if panel else None)
        if key not in merged:
            page = f"/disease/{key}" if panel else (f"/gene/{gene}" if gene else None)
            name = panel.name if panel else info["names"][0]
            merged[key] = DiseaseMatch(key, name, gene, page, [])
        merged[key].names += info["names"]
    for key, panel in DISEASE_KEYS.items():
        merged.setdefault(key, DiseaseMatch(key, panel.name, panel.gene, f"/disease/{key}", []))
        merged[key].names += [key, panel.name]
    for disease in merged.values():
        disease.folded = tuple(fold(n) for n in disease.names)
    return list(merged.values())


@lru_cache(maxsize=1)
def _therapy_names() -> list[tuple[str, str, tuple[str, ...]]]:
    """(key, name, its key, name and terms folded) of every therapy, once per process."""
    return [(key, info["name"], tuple(fold(w) for w in [key, info["name"], *info.get("terms", [])]))
            for key, info in therapies().items()]


def _match(wanted: str, folded: tuple[str, ...]) -> int | None:
    """0 where a folded name is the query, 1 where one contains it (five folded letters or
    more), None otherwise."""
    if wanted in folded:
        return 0
    if len(wanted) >= 5 and any(wanted in f for f in folded):
        return 1
    return None


def matching_diseases(query: str) -> list[DiseaseMatch]:
    """Diseases a name or key of which is the query, or contains it (five folded letters or
    more): 'XHIGM' is HIGM1; 'hyper immunoglobulin M' is every hyper-IgM entity."""
    wanted = fold(query)
    if not wanted:
        return []
    found = [(rank, disease) for disease in _diseases()
             if (rank := _match(wanted, disease.folded)) is not None]
    return [disease for rank, disease in sorted(found, key=lambda f: f[0])]


def matching_therapies(query: str) -> list[tuple[str, str]]:
    """(key, name) of therapies whose key, name or any term contains the query."""
    wanted = fold(query)
    if len(wanted) < 3:
        return []
    return [(key, name) for key, name, folded in _therapy_names()
            if _match(wanted, folded) is not None]


def fts_query(phrases: list[str]) -> str:
    """An FTS5 query that matches any of the phrases, each quoted (a quote doubled): the
    researcher's words never reach FTS5's syntax. A phrase that contains another one
    ('X-linked hyper-IgM' holds 'hyper IgM') matches nothing more and is left out, which
    keeps the query short on a large database."""
    kept: list[list[str]] = []
    for phrase in phrases:
        words = [w.lower() for w in re.findall(r"\w+", phrase)]
        if words and not any(_contains(words, other) for other in kept):
            kept = [k for k in kept if not _contains(k, words)] + [words]
        if len(kept) > MAX_PHRASES:
            break
    return " OR ".join('"' + " ".join(k).replace('"', '""') + '"' for k in kept)


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(words[i:i + n] == part for i in range(len(words) - n + 1))

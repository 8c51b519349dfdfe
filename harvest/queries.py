"""The gene panel and the PubMed query for each gene."""
from __future__ import annotations

from dataclasses import dataclass

from harvest.panel import DEFAULT_PANEL, gene_lexicon, panel_config


@dataclass(frozen=True)
class GeneQuery:
    gene: str
    term: str


def default_panel() -> list[str]:
    return list(DEFAULT_PANEL)


def resolve_genes(spec: str | None) -> list[str]:
    """Turn '--genes CD40LG,aid' into approved symbols; unknown names raise ValueError."""
    if not spec:
        return default_panel()
    genes = gene_lexicon()["genes"]
    by_name = {}
    for symbol, record in genes.items():
        for name in [symbol] + record["prev_symbols"] + record["aliases"]:
            by_name.setdefault(name.upper(), symbol)
    chosen, unknown = [], []
    for raw in (part.strip() for part in spec.split(",")):
        if not raw:
            continue
        symbol = by_name.get(raw.upper())
        if symbol is None:
            unknown.append(raw)
        elif symbol not in chosen:
            chosen.append(symbol)
    if unknown:
        raise ValueError(f"unknown gene symbol(s): {', '.join(unknown)}; known: "
                         f"{', '.join(sorted(genes))}")
    return chosen


def _quote(name: str) -> str:
    return f'"{name}"[tiab]'


def build_query(symbol: str) -> GeneQuery:
    """A gene's PubMed query: its names and disease names, ambiguous ones only in context."""
    config = panel_config()
    record = gene_lexicon()["genes"][symbol]
    ambiguous = {a.upper() for a in config["ambiguous"]}
    names = [symbol] + record["prev_symbols"] + record["aliases"]
    plain = [n for n in dict.fromkeys(names) if n.upper() not in ambiguous and len(n) > 3]
    risky = [n for n in dict.fromkeys(names) if n not in plain and not n.startswith("H_")]
    plain = list(dict.fromkeys(plain + config["diseases"].get(symbol, [])))
    context = "(" + " OR ".join(config["context"]) + ")"
    clauses = []
    if plain:
        plain_clause = "(" + " OR ".join(_quote(n) for n in plain) + ")"
        clauses.append(f"({plain_clause} AND {context})" if symbol in config["context_required"]
                       else plain_clause)
    if risky:
        clauses.append("((" + " OR ".join(_quote(n) for n in risky) + f") AND {context})")
    return GeneQuery(symbol, " OR ".join(clauses))


def build_queries(genes: list[str]) -> list[GeneQuery]:
    queries = [build_query(g) for g in genes]
    queries.append(GeneQuery("HIGM", " OR ".join(panel_config()["higm_query"])))
    return queries

"""Score extracted claims against a gold file, exactly as docs/claims.md defines it."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from curate import hpo

from harvest.panel import DISEASE_GENES


@dataclass
class Scores:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class GoldFileError(ValueError):
    pass


def gold_records(path: str | Path) -> Iterator[tuple[int, str, list[dict]]]:
    """(line number, PMID, claims) of each record of a gold file, each line's form checked;
    GoldFileError names the line."""
    path = Path(path)
    if not path.is_file():
        raise GoldFileError(f"gold file not found: {path}")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise GoldFileError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            pmid = str(record["pmid"])
            claims = record["claims"]
            for claim in claims:
                if claim["type"] not in ("gene_phenotype", "gene_therapy"):
                    raise KeyError(f"type {claim['type']!r}")
                claim["subject"]
                claim["hpo" if claim["type"] == "gene_phenotype" else "therapy"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise GoldFileError(f"{path}: line {number}: not a gold record ({exc})") from None
        except RecursionError:
            raise GoldFileError(f"{path}: line {number}: JSON nested too deeply") from None
        yield number, pmid, claims


def read_gold(path: str | Path) -> dict[str, list[dict]]:
    """PMID -> gold claims of a gold file (curate.evaluate.gold_records checks each line)."""
    return {pmid: claims for _, pmid, claims in gold_records(path)}


def scored_subject(value: str) -> str:
    """The subject as claims are matched: a disease key with one gene is that gene."""
    return DISEASE_GENES.get(value, value)


def _key(pmid: str, claim: dict) -> tuple:
    obj = claim.get("hpo") if claim["type"] == "gene_phenotype" else claim.get("therapy")
    return (pmid, claim["type"], scored_subject(claim["subject"]), obj)


def evaluate(predicted: dict[str, list[dict]], gold: dict[str, list[dict]]) -> dict:
    """Strict and lenient P/R/F1 per claim type and overall, and negation agreement."""
    ontology = hpo.load()
    neighbours: dict[str, set[str]] = {}
    kids = ontology.children()
    for term in ontology.terms.values():
        neighbours[term.id] = set(term.parents) | kids.get(term.id, set())
    results: dict = {}
    for mode in ("strict", "lenient"):
        per_type = {t: Scores(0, 0, 0) for t in ("gene_phenotype", "gene_therapy")}
        negation_agree = negation_total = 0
        for pmid, gold_claims in gold.items():
            pred_claims = predicted.get(pmid, [])
            gold_keys = {_key(pmid, c): c for c in gold_claims}
            pred_keys = {_key(pmid, c): c for c in pred_claims}
            matched_gold: set = set()
            for key, claim in pred_keys.items():
                match = key if key in gold_keys and key not in matched_gold else None
                if match is None and mode == "lenient" and key[1] == "gene_phenotype":
                    for candidate in neighbours.get(key[3], ()):  # parent or child
                        alt = (key[0], key[1], key[2], candidate)
                        if alt in gold_keys and alt not in matched_gold and alt not in pred_keys:
                            match = alt
                            break
                if match is None:
                    per_type[key[1]].fp += 1
                    continue
                matched_gold.add(match)
                per_type[key[1]].tp += 1
                negation_total += 1
                negation_agree += bool(claim.get("negated")) == bool(gold_keys[match].get("negated"))
            for key in gold_keys:
                if key not in matched_gold:
                    per_type[key[1]].fn += 1
        overall = Scores(sum(s.tp for s in per_type.values()), sum(s.fp for s in per_type.values()),
                         sum(s.fn for s in per_type.values()))
        results[mode] = {**{t: s for t, s in per_type.items()}, "all": overall,
                         "negation": (negation_agree, negation_total)}
    return results


def predictions_from_db(db: sqlite_utils.Database, pmids: list[str],
                        include_low: bool = False) -> dict[str, list[dict]]:
    """The claims a curator is shown (proposed ones; all with `include_low`)."""
    predicted: dict[str, list[dict]] = {p: [] for p in pmids}
    low = "" if include_low else " and coalesce(proposed, 1) = 1"
    for pmid in pmids:
        for row in db.query("select type, subject, hpo, therapy, negated from claims "
                            "where pmid = ? and active = 1 and status != 'rejected'" + low,
                            [pmid]):
            predicted[pmid].append({"type": row["type"], "subject": row["subject"],
                                    "hpo": row["hpo"], "therapy": row["therapy"],
                                    "negated": bool(row["negated"])})
    return predicted


def format_report(results: dict, missing: list[str]) -> str:
    lines = []
    if missing:
        lines.append(f"warning: {len(missing)} gold PMIDs are not in the database: "
                     f"{', '.join(missing[:10])}")
    lines.append(f"{'mode':<8} {'type':<15} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}")
    for mode in ("strict", "lenient"):
        for name in ("gene_phenotype", "gene_therapy", "all"):
            s = results[mode][name]
            lines.append(f"{mode:<8} {name:<15} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
                         f"{s.tp:5d} {s.fp:5d} {s.fn:5d}")
    agree, total = results["strict"]["negation"]
    lines.append(f"negation agreement (strict matches): {agree}/{total}"
                 + (f" = {agree / total:.3f}" if total else ""))
    agree, total = results["lenient"]["negation"]
    lines.append(f"negation agreement (lenient matches): {agree}/{total}"
                 + (f" = {agree / total:.3f}" if total else ""))
    return "\n".join(lines)

"""Cross-validation of the claim model on a gold file (dev only), and its learning curve;
also trains and writes the model the project ships.

    python -m benchmarks.claim_model_cv tests/data/gold/dev.jsonl [--folds 5] [--ship]

Candidates come from the rules alone (no model), extracted from the bundled snapshot.
Per fold, the model is trained on the other folds' abstracts and scores the held-out ones;
the proposed claims (score >= threshold) are scored against the gold as `higm evaluate`
does (lenient). Figures are pooled over folds.
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
from pathlib import Path

from benchmarks.common import machine


def _extract_rules_only(workdir: Path):
    os.environ["HIGM_CLAIM_MODEL"] = str(workdir / "no-model")  # the rules' candidates only
    from curate.extract import extract
    from curate.store import retire_articles
    from db.flow import snapshot_path
    from db.schema import connect
    from harvest.offline import import_files
    db = connect(workdir / "cv.db")
    import_files(db, [snapshot_path()], on_removed=retire_articles)
    extract(db, everything=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("gold")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--ship", action="store_true",
                        help="also train on the whole gold file and write curate/models/claim-model")
    args = parser.parse_args()
    from curate.nlp import claim_model
    from curate.evaluate import evaluate, predictions_from_db, read_gold
    from curate.training import gold_candidates
    print(f"machine: {machine()}")
    work = Path(tempfile.mkdtemp(prefix="higm-cv-"))
    db = _extract_rules_only(work)
    gold = read_gold(args.gold)
    pmids = sorted(gold)
    random.Random(0).shuffle(pmids)
    folds = [pmids[i::args.folds] for i in range(args.folds)]
    everything = gold_candidates(db, gold)
    pmid_of = {r["claim_key"]: r["pmid"] for r in db.query("select claim_key, pmid from claims")}
    rules_only = evaluate(predictions_from_db(db, pmids), gold)["lenient"]
    print(f"rules alone on {args.gold} ({len(pmids)} abstracts, {len(everything)} candidates, "
          f"{sum(c.accept for c in everything)} right): " + _fmt(rules_only))

    def cross_validate(limit: int | None, threshold: float) -> dict:
        kept: dict[str, set] = {}
        for held in folds:
            held_set = set(held)
            train = [c for c in everything if pmid_of[c.key] not in held_set]
            if limit:
                train = random.Random(limit).sample(train, min(limit, len(train)))
            if len({c.accept for c in train}) < 2:
                continue
            model = claim_model.train(train)
            test = [c for c in everything if pmid_of[c.key] in held_set]
            for c, value in zip(test, claim_model.score(model, [c.text for c in test])):
                if value >= threshold:
                    kept.setdefault(pmid_of[c.key], set()).add(c.key)
        predicted = {}
        for pmid in pmids:
            predicted[pmid] = [{"type": r["type"], "subject": r["subject"], "hpo": r["hpo"],
                                "therapy": r["therapy"], "negated": bool(r["negated"])}
                               for r in db.query("select * from claims where pmid = ? and active = 1",
                                                 [pmid]) if r["claim_key"] in kept.get(pmid, ())]
        return evaluate(predicted, gold)["lenient"]

    for threshold in (0.2, 0.35, 0.5):
        print(f"{args.folds}-fold CV, threshold {threshold}: " + _fmt(cross_validate(None, threshold)))
    for limit in (25, 50, 100, None):
        print(f"learning curve, {limit or 'all'} training claims (threshold "
              f"{claim_model.DEFAULT_THRESHOLD}): "
              + _fmt(cross_validate(limit, claim_model.DEFAULT_THRESHOLD)))
    if args.ship:
        model = claim_model.train(everything)
        version = claim_model.save(model, claim_model.shipped_path(), {
            "threshold": claim_model.DEFAULT_THRESHOLD,
            "trained_on": {"claims": len(everything), "accepted": sum(c.accept for c in everything),
                           "gold": [Path(args.gold).name], "decisions": 0}})
        print(f"shipped model {version} written to {claim_model.shipped_path()}")


def _fmt(scores: dict) -> str:
    parts = []
    for name in ("gene_phenotype", "gene_therapy", "all"):
        s = scores[name]
        parts.append(f"{name} P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}")
    return " | ".join(parts)


if __name__ == "__main__":
    main()

"""Which of the rules' claims to propose, learned from real annotated abstracts, measured by
cross-validation over dev + train (5 folds by abstract: no abstract is both trained and
scored in one fold).

    python -m benchmarks.claims_cv [--gold dev.jsonl train.jsonl]

Prints the rules alone, then a logistic regression over each candidate's features (the
rules that fired, its context flags, the subject's topicality, the term's specificity among
the abstract's candidates, the sentence's place) with the threshold chosen inside each
training fold, and a learning curve (25 %, 50 %, 100 % of the training abstracts). Lenient
P / R / F1 as `higm evaluate` scores them. Needs scikit-learn (`pip install scikit-learn`),
which the product does not.
"""
from __future__ import annotations

import argparse
import random
from collections import Counter

from benchmarks.common import SHARED, machine
from benchmarks.recognition_ceiling import read_texts


def candidates_of(gold_paths: list[str]) -> tuple[list[str], dict, dict]:
    """The pipeline's claims per abstract (the candidates) and the gold."""
    from curate.evaluate import read_gold
    from curate.nlp.pipeline import load, text_of
    gold: dict = {}
    for path in gold_paths:
        gold.update(read_gold(path))
    texts = read_texts()
    pmids = [p for p in gold if p in texts]
    nlp = load()

    def docs():
        for pmid in pmids:
            doc = nlp.make_doc(text_of(*texts[pmid]))
            doc.user_data["pmid"] = pmid
            yield doc
    found = {}
    for pmid, doc in zip(pmids, nlp.pipe(docs(), batch_size=32)):
        text = doc.text
        found[pmid] = [dict(c, _title_end=text.find("\n") if "\n" in text else len(text),
                            _length=len(text)) for c in doc._.claims or []]
    return pmids, found, gold


def features(claim: dict, siblings: list[dict], ontology, depth: dict) -> dict:
    """What a curator would weigh, as numbers."""
    f = {f"rule={r}": 1.0 for r in claim.get("rules") or []}
    f["score"] = claim["score"]
    f["support"] = min(claim.get("support", 1), 5) / 5
    f["negated"] = float(claim["negated"])
    f["hedged"] = float(claim["hedged"])
    f[f"type={claim['type']}"] = 1.0
    f[f"species={claim.get('species')}"] = 1.0
    f[f"study={claim.get('study')}"] = 1.0
    f["in_title"] = float(claim["sent_start"] <= claim["_title_end"])
    f["position"] = claim["sent_start"] / max(1, claim["_length"])
    subjects = Counter(c["subject"] for c in siblings)
    f["subject_share"] = subjects[claim["subject"]] / max(1, len(siblings))
    f["subjects"] = min(len(subjects), 6) / 6
    if claim["type"] == "gene_phenotype":
        term = claim["object"]
        f["depth"] = min(depth.get(term, 0), 15) / 15
        same = [c["object"] for c in siblings if c["subject"] == claim["subject"]
                and c["type"] == "gene_phenotype" and c["object"] != term]
        above = ontology.ancestors(term)
        f["broader_than_another"] = float(any(term in ontology.ancestors(o) for o in same))
        f["narrower_than_another"] = float(any(o in above for o in same))
    return f


class _Depth(dict):
    """A term's number of ancestors, computed when first asked."""
    def __init__(self, ontology):
        super().__init__()
        self.ontology = ontology

    def get(self, term, default=0):
        return len(self.ontology.ancestors(term)) if term in self.ontology.terms else default


def label(pmid: str, claim: dict, gold_keys: set, neighbours: dict) -> int:
    from harvest.panel import DISEASE_GENES
    subject = DISEASE_GENES.get(claim["subject"], claim["subject"])
    key = (claim["type"], subject, claim["object"])
    if key in gold_keys:
        return 1
    return int(claim["type"] == "gene_phenotype" and any(
        (claim["type"], subject, n) in gold_keys for n in neighbours.get(claim["object"], ())))


def score(predicted: dict, gold: dict) -> dict:
    from curate.evaluate import evaluate
    result = evaluate(predicted, gold)["lenient"]
    return {name: (round(result[name].precision, 3), round(result[name].recall, 3),
                   round(result[name].f1, 3)) for name in ("all", "gene_phenotype", "gene_therapy")}


def as_predictions(claims_by_pmid: dict, keep) -> dict:
    return {pmid: [{"type": c["type"], "subject": c["subject"], "negated": c["negated"],
                    "hpo" if c["type"] == "gene_phenotype" else "therapy": c["object"]}
                   for c in claims if keep(c)] for pmid, claims in claims_by_pmid.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", nargs="+", default=[str(SHARED / "gold" / "dev.jsonl"),
                                                      str(SHARED / "gold" / "train.jsonl")])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from curate import hpo
    from harvest.panel import DISEASE_GENES
    print(f"machine: {machine()}")
    ontology = hpo.load()
    kids = ontology.children()
    neighbours = {t.id: set(t.parents) | kids.get(t.id, set()) for t in ontology.terms.values()}
    depth = _Depth(ontology)
    pmids, found, gold = candidates_of(args.gold)
    rows = {}
    for pmid in pmids:
        gold_keys = {(c["type"], DISEASE_GENES.get(c["subject"], c["subject"]),
                      c.get("hpo") or c.get("therapy")) for c in gold[pmid]}
        rows[pmid] = [(features(c, found[pmid], ontology, depth), label(pmid, c, gold_keys, neighbours))
                      for c in found[pmid]]
    gold_in = {p: gold[p] for p in pmids}
    print(f"{len(pmids)} abstracts, {sum(len(v) for v in found.values())} candidates, "
          f"{sum(len(v) for v in gold_in.values())} gold claims")
    print("rules alone (every candidate proposed):", score(as_predictions(found, lambda c: True), gold_in))

    order = pmids[:]
    random.Random(13).shuffle(order)
    folds = [order[i::args.folds] for i in range(args.folds)]

    def fit(train_pmids):
        x = [f for p in train_pmids for f, _ in rows[p]]
        y = [lab for p in train_pmids for _, lab in rows[p]]
        vec = DictVectorizer()
        model = LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced")
        model.fit(vec.fit_transform(x), y)
        return vec, model

    def threshold_for(train_pmids) -> float:
        # inner 3-fold over the training abstracts: the threshold that maximises F1 there
        inner = [train_pmids[i::3] for i in range(3)]
        probs = {}
        for i, held in enumerate(inner):
            vec, model = fit([p for j, part in enumerate(inner) if j != i for p in part])
            for p in held:
                if rows[p]:
                    probs[p] = model.predict_proba(vec.transform([f for f, _ in rows[p]]))[:, 1]
        best = (0.0, 0.5)
        for t in [x / 20 for x in range(2, 19)]:
            kept = {p: [c for c, pr in zip(found[p], probs.get(p, [])) if pr >= t] for p in train_pmids}
            f1 = score(as_predictions(kept, lambda c: True), {p: gold[p] for p in train_pmids})["all"][2]
            best = max(best, (f1, t))
        return best[1]

    for share in (0.25, 0.5, 1.0):
        kept_all = {}
        thresholds = []
        for i, test in enumerate(folds):
            train = [p for j, part in enumerate(folds) if j != i for p in part]
            train = train[:max(4, int(len(train) * share))]
            t = threshold_for(train)
            thresholds.append(t)
            vec, model = fit(train)
            for p in test:
                probs = model.predict_proba(vec.transform([f for f, _ in rows[p]]))[:, 1] if rows[p] else []
                kept_all[p] = [c for c, pr in zip(found[p], probs) if pr >= t]
        print(f"learned decision, {int(share * 100)} % of the training abstracts, thresholds "
              f"{thresholds}:", score(as_predictions(kept_all, lambda c: True), gold_in))


if __name__ == "__main__":
    main()

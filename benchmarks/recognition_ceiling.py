"""The recall ceiling of recognition, and the rules' claim figures, on gold files.

    python -m benchmarks.recognition_ceiling GOLD.jsonl [GOLD.jsonl ...] [--misses]

For each gold gene-phenotype claim: is its HPO term (or the term's direct parent or child)
found anywhere in the abstract, as a phenotype mention or as the object of any claim of
any subject? No claim rule can find a claim whose term recognition never saw, so this
share bounds claim recall. Claims are the pipeline's own (rules alone, no claim model),
scored as `higm evaluate` scores them (lenient). Texts come from ../shared's corpus records
(the snapshot's and train's).
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from benchmarks.common import SHARED, machine


def read_texts() -> dict[str, tuple[str, str]]:
    texts = {}
    for name in ("records.jsonl", "train_records.jsonl"):
        path = SHARED / "corpus" / name
        for line in path.open(encoding="utf-8"):
            r = json.loads(line)
            texts[str(r["pmid"])] = (r.get("title") or "", r.get("abstract") or "")
    return texts


def run(gold_path: str, show_misses: bool = False) -> dict:
    from curate import hpo
    from curate.evaluate import evaluate, read_gold
    from curate.nlp.pipeline import load, text_of
    gold = read_gold(gold_path)
    texts = read_texts()
    nlp = load()
    ontology = hpo.load()
    kids = ontology.children()
    pmids = [p for p in gold if p in texts]

    def docs():
        for pmid in pmids:
            doc = nlp.make_doc(text_of(*texts[pmid]))
            doc.user_data["pmid"] = pmid
            yield doc
    predicted, hits, total, missed = {}, 0, 0, Counter()
    for pmid, doc in zip(pmids, nlp.pipe(docs(), batch_size=32)):
        claims = doc._.claims or []
        predicted[pmid] = [{"type": c["type"], "subject": c["subject"], "negated": c["negated"],
                            "hpo" if c["type"] == "gene_phenotype" else "therapy": c["object"]}
                           for c in claims]
        found = {e.kb_id_ for e in doc.ents if e.label_ == "PHENOTYPE"}
        found |= {c["object"] for c in claims if c["type"] == "gene_phenotype"}
        for claim in gold[pmid]:
            if claim["type"] != "gene_phenotype":
                continue
            term = claim["hpo"]
            near = {term} | set(ontology.terms[term].parents if term in ontology.terms else ()) \
                | kids.get(term, set())
            total += 1
            if near & found:
                hits += 1
            else:
                missed[term] += 1
    scores = evaluate(predicted, {p: gold[p] for p in pmids})["lenient"]
    result = {"gold": gold_path, "abstracts": len(pmids), "gold_phenotype_claims": total,
              "ceiling": round(hits / total, 3) if total else None}
    for name in ("all", "gene_phenotype", "gene_therapy"):
        s = scores[name]
        result[name] = {"P": round(s.precision, 3), "R": round(s.recall, 3), "F1": round(s.f1, 3)}
    if show_misses:
        result["missed"] = [(t, ontology.terms[t].name if t in ontology.terms else "?", n)
                            for t, n in missed.most_common()]
    return result


def main(*args: str) -> None:
    show = "--misses" in args
    print(f"# {machine()}", file=sys.stderr)
    for path in [a for a in args if not a.startswith("--")]:
        result = run(path, show)
        print(f"{Path(path).name}: {result['abstracts']} abstracts, "
              f"{result['gold_phenotype_claims']} gene-phenotype claims, "
              f"recall ceiling {result['ceiling']}")
        for name in ("all", "gene_phenotype", "gene_therapy"):
            s = result[name]
            print(f"  {name:<15} lenient P {s['P']:.3f} R {s['R']:.3f} F1 {s['F1']:.3f}")
        for term, label, n in result.get("missed", []):
            print(f"  missed {term} {label} ({n})")


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Therapy outcomes against gold: of the gold therapy claims that state an outcome and that
the pipeline also finds (same subject and therapy), the share whose outcome agrees.

    python -m benchmarks.outcome_agreement [GOLD.jsonl ...]   # default: dev + train

Rules alone; prints each disagreement with its evidence sentence, then the figure.
"""
from __future__ import annotations

import json
import sys

from benchmarks.common import SHARED
from benchmarks.recognition_ceiling import read_texts


def main(*paths: str) -> None:
    from curate.nlp.pipeline import load, text_of
    from harvest.panel import DISEASE_GENES
    paths = paths or (str(SHARED / "gold" / "dev.jsonl"), str(SHARED / "gold" / "train.jsonl"))
    texts, nlp = read_texts(), load()
    agree = total = 0
    for path in paths:
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            pmid = record["pmid"]
            gold = [c for c in record["claims"] if c["type"] == "gene_therapy" and c.get("outcome")]
            if not gold or pmid not in texts:
                continue
            doc = nlp.make_doc(text_of(*texts[pmid]))
            doc.user_data["pmid"] = pmid
            found = {(DISEASE_GENES.get(c["subject"], c["subject"]), c["object"]): c
                     for c in nlp(doc)._.claims if c["type"] == "gene_therapy"}
            for claim in gold:
                key = (DISEASE_GENES.get(claim["subject"], claim["subject"]), claim["therapy"])
                if key in found:
                    total += 1
                    agree += found[key]["outcome"] == claim["outcome"]
                    if found[key]["outcome"] != claim["outcome"]:
                        print(f"{pmid} {key}: {found[key]['outcome']} (gold {claim['outcome']}) "
                              f"| {found[key]['sentence'][:160]}")
    print(f"outcome agreement: {agree}/{total}" + (f" = {agree / total:.2f}" if total else ""))


if __name__ == "__main__":
    main(*sys.argv[1:])

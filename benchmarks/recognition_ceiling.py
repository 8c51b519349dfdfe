"""The recall ceiling of recognition, and the rules' claim figures, on gold files.

    python -m benchmarks.recognition_ceiling GOLD.jsonl [GOLD.jsonl ...] [--misses] [--stages]

For each gold gene-phenotype claim: is its HPO term (or the term's direct parent or child)
found anywhere in the abstract, as a phenotype mention or as the object of any claim of
any subject? No claim rule can find a claim whose term recognition never saw, so this
share bounds claim recall. `--stages` follows each gold claim further (is its subject named
anywhere, are both named in one sentence, is it claimed) and sorts the false claims by
whether their subject is one the gold gives the abstract, so a figure on a measure-only
file says which stage loses claims without showing a single text. Claims are the pipeline's own (rules alone, no claim model),
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


def _named_subjects(doc, vocab) -> tuple[set[str], list[set[str]]]:
    """Subjects a gene or disease mention names, in the abstract and per sentence."""
    from curate.evaluate import scored_subject
    per_sentence = []
    for sent in doc.sents:
        named = set()
        for ent in sent.ents:
            if ent.label_ == "GENE":
                named.add(scored_subject(ent.kb_id_))
            elif ent.label_ == "DISEASE" and ent.kb_id_ in vocab.diseases:
                disease = vocab.diseases[ent.kb_id_]
                named |= {scored_subject(disease.key)} | ({disease.gene} if disease.gene else set())
        per_sentence.append(named)
    return set().union(*per_sentence) if per_sentence else set(), per_sentence


def run(gold_path: str, show_misses: bool = False) -> dict:
    from curate import hpo
    from curate.evaluate import evaluate, read_gold, scored_subject
    from curate.nlp.vocab import load_vocabulary
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
    vocab = load_vocabulary()
    predicted, hits, total, missed = {}, 0, 0, Counter()
    stages = Counter()
    for pmid, doc in zip(pmids, nlp.pipe(docs(), batch_size=32)):
        claims = doc._.claims or []
        predicted[pmid] = [{"type": c["type"], "subject": c["subject"], "negated": c["negated"],
                            "hpo" if c["type"] == "gene_phenotype" else "therapy": c["object"]}
                           for c in claims]
        found = {e.kb_id_ for e in doc.ents if e.label_ == "PHENOTYPE"}
        found |= {c["object"] for c in claims if c["type"] == "gene_phenotype"}
        named, per_sentence = _named_subjects(doc, vocab)
        sentence_terms = [{e.kb_id_ for e in sent.ents if e.label_ == "PHENOTYPE"}
                          for sent in doc.sents]
        claimed = {(scored_subject(c["subject"]), c["object"]) for c in claims
                   if c["type"] == "gene_phenotype"}
        gold_subjects = {scored_subject(c["subject"]) for c in gold[pmid]}
        for claim in claims:
            if claim["type"] != "gene_phenotype":
                continue
            if not gold[pmid]:
                stages["fp_abstract_without_gold"] += 1
            elif scored_subject(claim["subject"]) in gold_subjects:
                stages["fp_or_tp_gold_subject"] += 1
            else:
                stages["fp_other_subject"] += 1
        for claim in gold[pmid]:
            if claim["type"] != "gene_phenotype":
                continue
            term = claim["hpo"]
            near = {term} | set(ontology.terms[term].parents if term in ontology.terms else ()) \
                | kids.get(term, set())
            total += 1
            subject = scored_subject(claim["subject"])
            if near & found:
                hits += 1
            else:
                missed[term] += 1
            stages["subject_named"] += subject in named
            stages["term_and_subject"] += bool(near & found) and subject in named
            stages["one_sentence"] += any(subject in s and near & t
                                          for s, t in zip(per_sentence, sentence_terms))
            stages["claimed_any_subject"] += any(o in near for _, o in claimed)
            stages["claimed"] += any(s == subject and o in near for s, o in claimed)
    scores = evaluate(predicted, {p: gold[p] for p in pmids})["lenient"]
    result = {"gold": gold_path, "abstracts": len(pmids), "gold_phenotype_claims": total,
              "ceiling": round(hits / total, 3) if total else None, "stages": dict(stages)}
    for name in ("all", "gene_phenotype", "gene_therapy"):
        s = scores[name]
        result[name] = {"P": round(s.precision, 3), "R": round(s.recall, 3), "F1": round(s.f1, 3)}
    if show_misses:
        result["missed"] = [(t, ontology.terms[t].name if t in ontology.terms else "?", n)
                            for t, n in missed.most_common()]
    return result


def main(*args: str) -> None:
    show = "--misses" in args
    show_stages = "--stages" in args
    print(f"# {machine()}", file=sys.stderr)
    for path in [a for a in args if not a.startswith("--")]:
        result = run(path, show)
        print(f"{Path(path).name}: {result['abstracts']} abstracts, "
              f"{result['gold_phenotype_claims']} gene-phenotype claims, "
              f"recall ceiling {result['ceiling']}")
        for name in ("all", "gene_phenotype", "gene_therapy"):
            s = result[name]
            print(f"  {name:<15} lenient P {s['P']:.3f} R {s['R']:.3f} F1 {s['F1']:.3f}")
        if show_stages:
            n = result["gold_phenotype_claims"] or 1
            st = result["stages"]
            for name in ("subject_named", "term_and_subject", "one_sentence",
                         "claimed_any_subject", "claimed"):
                print(f"  gold claims with {name.replace('_', ' ')}: {st.get(name, 0)} "
                      f"({st.get(name, 0) / n:.3f})")
            print(f"  gene-phenotype claims made: {st.get('fp_or_tp_gold_subject', 0)} on a gold "
                  f"subject, {st.get('fp_other_subject', 0)} on another subject, "
                  f"{st.get('fp_abstract_without_gold', 0)} in abstracts with no gold claim")
        for term, label, n in result.get("missed", []):
            print(f"  missed {term} {label} ({n})")


if __name__ == "__main__":
    main(*sys.argv[1:])

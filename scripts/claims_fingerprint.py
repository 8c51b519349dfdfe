"""Every claim the pipeline proposes on the development texts, one line each, so a refactor
can be checked to change nothing: run before and after, then `diff` the two files.

    python -m scripts.claims_fingerprint OUT.tsv [--with-rule]

Reads the snapshot's records, the hand-written abstracts, train's texts and GSC+'s texts
(the last two from ../shared, skipped when absent). `rule` is left out unless asked, since
refactors of the claim builder rename rules on purpose.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def texts() -> list[tuple[str, str, str]]:
    found = []
    for path in (SHARED / "corpus" / "records.jsonl", SHARED / "corpus" / "train_records.jsonl"):
        if path.exists():
            for line in path.open(encoding="utf-8"):
                r = json.loads(line)
                found.append((path.stem, r["pmid"], r.get("title") or "", r.get("abstract") or ""))
    for i, line in enumerate((ROOT / "tests/data/handwritten/abstracts.jsonl").open(encoding="utf-8")):
        r = json.loads(line)
        found.append(("handwritten", str(r.get("pmid", i)), r.get("t", ""), r.get("a", "")))
    gsc = SHARED / "benchmarks" / "gsc_plus" / "Text"
    if gsc.exists():
        for path in sorted(gsc.iterdir()):
            found.append(("gsc", path.name, "", path.read_text(encoding="utf-8", errors="replace")))
    return found


def main(out: str, *flags: str) -> None:
    try:
        from curate.nlp.pipeline import load, text_of
    except ImportError:  # before the pipeline moved into its own room
        from curate.nlp.pipeline import load, text_of
    nlp = load()
    items = texts()

    def docs():
        for source, pmid, title, abstract in items:
            doc = nlp.make_doc(text_of(title, abstract) if abstract else title)
            doc.user_data["pmid"] = pmid
            yield doc
    with open(out, "w", encoding="utf-8") as fh:
        for (source, pmid, _, _), doc in zip(items, nlp.pipe(docs(), batch_size=64)):
            for c in doc._.claims or []:
                c = c if isinstance(c, dict) else vars(c)
                fields = [source, pmid, c["claim_key"], c["type"], c["subject"], c["object"],
                          str(int(c["negated"])), str(int(c["hedged"])), str(c["outcome"]),
                          str(c["species"]), str(c["study"]), str(c["patients"])]
                if "--with-rule" in flags:
                    fields.append(str(c["rule"]))
                fh.write("\t".join(fields) + "\n")
    print(f"{out}: {sum(1 for _ in open(out))} claims from {len(items)} texts", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])

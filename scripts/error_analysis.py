"""Show, per gold abstract, the claims the extractor missed and the ones it added.

    python scripts/error_analysis.py WORK.db ../shared/data/gold/dev.jsonl
"""
import sys

from curate.evaluate import _key, predictions_from_db, read_gold
from curate.hpo import load
from db.schema import connect


def main(db_path: str, gold_path: str) -> None:
    db = connect(db_path)
    names = {t.id: t.name for t in load().terms.values()}
    gold = read_gold(gold_path)
    predicted = predictions_from_db(db, list(gold))
    for pmid, claims in gold.items():
        g = {_key(pmid, c) for c in claims}
        p = {_key(pmid, c) for c in predicted[pmid]}
        if g == p:
            continue
        title = db.execute("select title from articles where pmid=?", [pmid]).fetchone()
        print(f"\n== {pmid} {title[0][:90] if title else ''}")
        for k in sorted(g - p, key=str):
            print("  MISS", k[1][5:], k[2], k[3], names.get(k[3], ""))
        for k in sorted(p - g, key=str):
            ev = db.execute("select sentence from claims where pmid=? and subject=? and object=? and active=1",
                            [pmid, k[2], k[3]]).fetchone()
            print("  EXTRA", k[1][5:], k[2], k[3], names.get(k[3], ""), "|", (ev[0][:140] if ev else ""))


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Derive the small gene lexicon the project ships from an HGNC complete-set snapshot.

Run once when the HGNC release changes:
    python scripts/derive_genes.py ../shared/data/vocab/hgnc/hgnc_complete_set_2019-01.txt.gz
"""
import csv
import gzip
import json
import sys
from pathlib import Path

PANEL = ["CD40LG", "CD40", "AICDA", "UNG", "IKBKG", "NFKBIA", "PMS2", "MSH6", "INO80"]
DIFFERENTIAL = ["ATM", "NBN", "PIK3CD", "PIK3R1", "MSH2", "MLH1", "RNF168", "ICOS",
                "IKBKB", "BTK", "SH2D1A", "TNFRSF13B"]


def main(source: str) -> None:
    wanted = set(PANEL + DIFFERENTIAL)
    genes = []
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["symbol"] in wanted and row["status"] == "Approved":
                split = lambda v: [x.strip() for x in v.split("|") if x.strip()]
                genes.append({
                    "symbol": row["symbol"], "hgnc_id": row["hgnc_id"], "name": row["name"],
                    "prev_symbols": split(row["prev_symbol"]), "aliases": split(row["alias_symbol"]),
                    "alias_names": split(row["alias_name"]), "prev_names": split(row["prev_name"]),
                    "omim_id": row["omim_id"] or None, "entrez_id": row["entrez_id"] or None,
                    "panel": row["symbol"] in PANEL,
                })
    genes.sort(key=lambda g: (not g["panel"], (PANEL + DIFFERENTIAL).index(g["symbol"])))
    out = {"source": "HGNC complete set", "release": "2018-11-07 (snapshot of 2019-01)",
           "file": Path(source).name, "genes": genes}
    Path("harvest/genes.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(genes)} genes written to harvest/genes.json")


if __name__ == "__main__":
    main(sys.argv[1])

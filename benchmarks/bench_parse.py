"""Parse and load speed for PubMed XML, beside Biopython's own parser, in one run.

    .venv/bin/python -m benchmarks.bench_parse [--records 30000]

Builds a baseline-sized file by replicating real records (the bundled snapshot and the
real efetch files in ../shared/data/entrez) with new PMIDs, then measures, each in its
own process so peak memory is its own: our parser alone, parse + load into SQLite, and
Bio.Entrez.read (Bio.Entrez.parse refuses PubmedArticleSet files).
"""
from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

from lxml import etree

from benchmarks.common import ROOT, SHARED, in_child, machine


def build_file(path: Path, records: int) -> None:
    # Real efetch records carry the full shape of baseline records (MeSH, chemicals,
    # affiliations, history dates); the snapshot's records hold only a few fields.
    sources = sorted((SHARED / "entrez" / "current").glob("pubmed*.xml"))
    templates = []
    for source in sources:
        opener = gzip.open if source.suffix == ".gz" else open
        with opener(source, "rb") as fh:
            root = etree.parse(fh, etree.XMLParser(load_dtd=False, no_network=True)).getroot()
        templates += [etree.tostring(a) for a in root.iter("PubmedArticle")]
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC '
                  b'"-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
                  b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')
        for i in range(records):
            record = templates[i % len(templates)]
            start = record.index(b"<PMID")
            end = record.index(b"</PMID>", start)
            pmid = 90_000_000 + i
            out.write(record[:start] + f'<PMID Version="1">{pmid}'.encode() + record[end:] + b"\n")
        out.write(b"</PubmedArticleSet>\n")


def parse_only(path: str) -> dict:
    from harvest.parse import parse
    start = time.perf_counter()
    count = sum(1 for _ in parse(path))
    return {"records": count, "seconds": time.perf_counter() - start}


def parse_and_load(path: str, db_path: str, batch: str = "1000") -> dict:
    from db.schema import connect
    from harvest.offline import import_files
    db = connect(db_path)
    start = time.perf_counter()
    counts = import_files(db, [path])
    return {"records": counts.found, "seconds": time.perf_counter() - start}


def biopython_read(path: str) -> dict:
    from Bio import Entrez
    start = time.perf_counter()
    with open(path, "rb") as fh:
        data = Entrez.read(fh, validate=False)
    return {"records": len(data["PubmedArticle"]), "seconds": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=30000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "baseline.xml"
        build_file(path, args.records)
        size = path.stat().st_size / 2**20
        results = {
            "parse only (higm, lxml iterparse)": in_child("benchmarks.bench_parse_child", "parse", str(path)),
            "parse + load into SQLite (higm)": in_child("benchmarks.bench_parse_child", "load", str(path), str(Path(tmp) / "b.db")),
            "Bio.Entrez.read (parse only)": in_child("benchmarks.bench_parse_child", "bio", str(path)),
        }
    print(f"machine: {machine()}")
    print(f"file: {args.records} records, {size:.0f} MB")
    print(f"{'measurement':<38} {'records/s':>10} {'peak RSS MB':>12} {'+ a worker MB':>14}")
    for name, r in results.items():
        print(f"{name:<38} {r['records'] / r['seconds']:>10,.0f} {r['peak_rss_mb']:>12,.0f} "
              f"{r['worker_peak_rss_mb']:>14,.0f}")
    bio = results["Bio.Entrez.read (parse only)"]
    load = results["parse + load into SQLite (higm)"]
    ratio = (load["records"] / load["seconds"]) / (bio["records"] / bio["seconds"])
    print(f"parse+load is {ratio:.1f}x Biopython's parse-only speed")
    print(json.dumps(results))


if __name__ == "__main__":
    main()

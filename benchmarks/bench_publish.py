"""Publishing time and published-site latency at scale, measured against the real server.

    .venv/bin/python -m benchmarks.bench_publish [--articles 100000] [--claims 1000000] [--rounds 40]

Builds a working database of the snapshot's shapes scaled to --articles articles and
--claims claims (a third of them accepted through logged decisions; see
benchmarks/common.py), times `higm publish` on it, starts `higm serve` on the published
file and times each canned query (accepted only, and with unreviewed claims), a faceted
claims page and a full-text search, as JSON, over --rounds requests each.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import machine, percentiles, scaled_working_db

HIGM = str(Path(sys.executable).parent / "higm")

REQUESTS = {
    "phenotypes_for_gene": "/higm/phenotypes_for_gene.json?gene=CD40LG&include_unreviewed=",
    "phenotypes_for_gene +unreviewed": "/higm/phenotypes_for_gene.json?gene=CD40LG&include_unreviewed=1",
    "therapies_for_gene": "/higm/therapies_for_gene.json?gene=CD40LG&include_unreviewed=",
    "therapies_for_gene +unreviewed": "/higm/therapies_for_gene.json?gene=CD40LG&include_unreviewed=1",
    "evidence_for_pair": "/higm/evidence_for_pair.json?gene=CD40LG&hpo_id=HP:0003496&include_unreviewed=",
    "evidence_for_pair +unreviewed": "/higm/evidence_for_pair.json?gene=CD40LG&hpo_id=HP:0003496&include_unreviewed=1",
    "claims_since": "/higm/claims_since.json?since=2024-01-01&include_unreviewed=",
    "claims_since +unreviewed": "/higm/claims_since.json?since=2024-01-01&include_unreviewed=1",
    "associations_missing_from_hpo": "/higm/associations_missing_from_hpo.json?gene=&include_unreviewed=",
    "associations_missing_from_hpo +unreviewed": "/higm/associations_missing_from_hpo.json?gene=&include_unreviewed=1",
    "associations_missing_from_hpo, one gene": "/higm/associations_missing_from_hpo.json?gene=HIGM1&include_unreviewed=1",
    "claims page, default facets": "/higm/claims.json",
    "claims page, default facets + type": "/higm/claims.json?_facet=type",
    "unreviewed claims page, default facets": "/higm/unreviewed_claims.json",
    "claims filtered by gene": "/higm/claims.json?subject=CD40LG&_facet=hpo_id",
    "full-text search, articles": "/higm/articles.json?_search=neutropenia",
    "full-text search, evidence": "/higm/claims.json?_search=cryptosporidium",
    "gene page (HTML)": "/gene/CD40LG",
    "gene page with unreviewed claims (HTML)": "/gene/CD40LG?unreviewed=1",
    "gene page grouped by organ system (HTML)": "/gene/CD40LG?group=1&unreviewed=1",
    "disease page (HTML)": "/disease/HIGM1?unreviewed=1",
    "search box (gene name)": "/search?q=CD40+deficiency",
    "search page (a disease spelled otherwise)": "/search?q=hyper+immunoglobulin+M",
    "about page (HTML)": "/about",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="Also copy the published database here.")
    args = parser.parse_args()
    from tests.conftest import free_port, wait_for_http
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work, published = Path(tmp) / "work.db", Path(tmp) / "higm.db"
        start = time.perf_counter()
        articles, claims = scaled_working_db(work, args.articles, args.claims, mentions=False,
                                             accepted_share=1 / 3)
        built = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run([HIGM, "publish", "--db", str(work), "--out", str(published)], check=True,
                       capture_output=True)
        publish_s = time.perf_counter() - start
        size_mb = published.stat().st_size / 2**20
        if args.keep:
            import shutil
            shutil.copy(published, args.keep)
        port = free_port()
        server = subprocess.Popen([HIGM, "serve", str(published), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_http(url + "/", timeout=300)
            with httpx.Client(base_url=url, timeout=60, follow_redirects=True) as client:
                for name, path in REQUESTS.items():
                    first = client.get(path)
                    if first.status_code != 200:
                        raise SystemExit(f"{name}: HTTP {first.status_code}: {first.text[:300]}")
                    samples = []
                    for _ in range(args.rounds):
                        t0 = time.perf_counter()
                        response = client.get(path)
                        samples.append(time.perf_counter() - t0)
                        response.raise_for_status()
                    rows = len(first.json().get("rows", [])) if path.find(".json") > 0 else None
                    results[name] = {**percentiles(samples), "rows": rows}
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"machine: {machine()}")
    print(f"working database: {articles:,} articles, {claims:,} claims (built in {built:.0f} s)")
    print(f"higm publish: {publish_s:.0f} s, published file {size_mb:,.0f} MB")
    print(f"{'request':<46} {'median ms':>10} {'p95 ms':>8} {'rows':>6}")
    for name, r in results.items():
        print(f"{name:<46} {r['median_ms']:>10.1f} {r['p95_ms']:>8.1f} {r['rows'] if r['rows'] is not None else '-':>6}")


if __name__ == "__main__":
    main()

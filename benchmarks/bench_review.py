"""Review application latency with a large queue, measured against the real server.

    .venv/bin/python -m benchmarks.bench_review [--claims 100000] [--rounds 300]

Builds a working database of the snapshot's shapes scaled to --claims claims (three a
abstract, with their mentions; see benchmarks/common.py). Starts
`higm review` on a free port, signs a curator in, and times, over --rounds claims:

- next-claim page: what the browser fetches to show the next claim (`/review/api/next`,
  then `/review/api/claim/KEY` with the article and highlights), unfiltered and filtered
  by gene;
- decision round trip: `POST /review/api/decide` (accept or reject, alternating) until
  the JSON answer is back, i.e. committed;
- group decision round trip: the same with `claim_keys` (the card and the other pending
  cards of its sentence, as Shift+A sends them), every 10th round where a group exists.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import machine, percentiles, scaled_working_db

HIGM = str(Path(sys.executable).parent / "higm")


def build(path: Path, target_claims: int) -> int:
    # about three claims per abstract, as extraction gives on the snapshot
    return scaled_working_db(path, articles=target_claims // 3, claims=target_claims)[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    from tests.conftest import free_port, sign_in, wait_for_http
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "work.db"
        start = time.perf_counter()
        claims = build(db, args.claims)
        built = time.perf_counter() - start
        subprocess.run([HIGM, "curators", "add", "bench", "--db", str(db), "--password-stdin"],
                       input="bench password\n", text=True, check=True, capture_output=True)
        port = free_port()
        launched = time.perf_counter()
        server = subprocess.Popen([HIGM, "review", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_http(url + "/review/login", timeout=120)
            client = sign_in(url, "bench", "bench password")
            client.get("/review")
            first_key = client.get("/review/api/next").json()["claim_key"]
            client.get(f"/review/api/claim/{first_key}")
            first_card = time.perf_counter() - launched
            picker = []
            for word in ["elevated IgM", "neutro", "PCP", "recurrent sinopulmonary infections",
                         "hyper IgM", "diarrhoea", "lymphadenopathy", "low IgA"] * 10:
                t0 = time.perf_counter()
                client.get("/review/api/hpo", params={"q": word})
                picker.append(time.perf_counter() - t0)
            next_page, next_gene, decide, group = [], [], [], []
            for i in range(args.rounds):
                t0 = time.perf_counter()
                key = client.get("/review/api/next").json()["claim_key"]
                detail = client.get(f"/review/api/claim/{key}").json()
                next_page.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                gene_key = client.get("/review/api/next", params={"gene": "CD40LG"}).json()["claim_key"]
                client.get(f"/review/api/claim/{gene_key}")
                next_gene.append(time.perf_counter() - t0)
                c = detail["claim"]
                mates = [o["claim_key"] for o in detail.get("other_claims", [])
                         if o["subject"] == c["subject"] and o["sent_start"] == c["sent_start"]
                         and o["status"] == "pending"]
                t0 = time.perf_counter()
                if i % 10 == 5 and mates:
                    answer = client.post("/review/api/decide", json={
                        "claim_keys": [key] + mates, "decision": "accept"})
                    group.append(time.perf_counter() - t0)
                else:
                    answer = client.post("/review/api/decide", json={
                        "claim_key": key, "decision": "accept" if i % 2 else "reject",
                        "base_decision_id": detail.get("latest_decision_id")})
                    decide.append(time.perf_counter() - t0)
                if answer.status_code != 200:
                    raise SystemExit(f"decision failed: {answer.status_code} {answer.text}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"machine: {machine()}")
    print(f"working database: {claims:,} claims (built in {built:.0f} s), {args.rounds} rounds")
    print(f"first card after `higm review` starts (process start to the first claim shown, "
          f"sign-in included): {first_card:.2f} s")
    for name, samples in (("next-claim page (next + claim detail)", next_page),
                          ("next-claim page, gene=CD40LG", next_gene),
                          ("decision round trip (POST decide)", decide),
                          ("group decision round trip (claim_keys)", group),
                          ("HPO picker answer (/review/api/hpo)", picker)):
        if not samples:
            print(f"{name:<42} no samples")
            continue
        p = percentiles(samples)
        print(f"{name:<42} median {p['median_ms']:>6.1f} ms   p95 {p['p95_ms']:>6.1f} ms")


if __name__ == "__main__":
    main()

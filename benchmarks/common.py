"""Helpers shared by the benchmark scripts: machine description, timing, child processes."""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), "
            f"{mem:.0f} GiB, Python {platform.python_version()}")


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"n": len(samples), "median_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1)}


def in_child(module: str, *args: str) -> dict:
    """Run `python -m module args` and return the JSON it prints, with its peak RSS."""
    code = (f"import json, resource, runpy, sys; sys.argv = {[module, *args]!r}; "
            f"result = runpy.run_module({module!r}, run_name='__bench__')['main'](*sys.argv[1:]); "
            "result['peak_rss_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1); "
            "result['worker_peak_rss_mb'] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1); "
            "print(json.dumps(result))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def scaled_working_db(path: Path, articles: int, claims: int, mentions: bool = True,
                      accepted_share: float = 0.0) -> tuple[int, int]:
    """A working DB of the snapshot's real shapes, scaled up: the snapshot is imported and
    extracted, then its articles (and their claims and mentions) are copied under new
    PMIDs until there are `articles` articles and `claims` claims. Claims beyond the
    snapshot's own per-article count take other phenotypes from those the snapshot has.
    A share of claims can be marked accepted by a logged decision, as a curator would."""
    import hashlib
    from curate.extract import extract
    from db.schema import connect
    from harvest.load import now
    from harvest.offline import import_files
    db = connect(path)
    import_files(db, [ROOT / "harvest" / "snapshot" / "higm_snapshot.xml.gz"])
    extract(db)
    templates = list(db.query("select * from articles"))
    by_pmid: dict[str, list[dict]] = {}
    for c in db.query("select * from claims"):
        by_pmid.setdefault(c["pmid"], []).append(c)
    mention_rows: dict[str, list[dict]] = {}
    if mentions:
        for m in db.query("select * from mentions"):
            mention_rows.setdefault(m["pmid"], []).append(m)
    hpo_pool = [r[0] for r in db.execute("select distinct hpo from claims where hpo is not null")]
    with_claims = [a for a in templates if a["pmid"] in by_pmid]
    per_article = max(1, round(claims / articles))
    n_articles, n_claims, stamp = len(templates), db["claims"].count, now()
    i = 0
    while n_articles < articles:
        batch_a, batch_c, batch_m, batch_d = [], [], [], []
        for _ in range(min(2000, articles - n_articles)):
            template = with_claims[i % len(with_claims)]
            pmid = str(70_000_000 + i)
            year = 1990 + i % 36
            batch_a.append({**template, "pmid": pmid, "content_hash": f"bench{pmid}",
                            "year": year, "pub_date": f"{year}-{1 + i % 12:02d}"})
            source = by_pmid[template["pmid"]]
            for j in range(per_article):
                c = dict(source[j % len(source)])
                if j >= len(source) and c["type"] == "gene_phenotype":
                    c["hpo"] = c["object"] = hpo_pool[(i + j) % len(hpo_pool)]
                c["claim_key"] = hashlib.sha256(f"{pmid}:{j}".encode()).hexdigest()[:20]
                c["pmid"], c["score"] = pmid, c["score"] * (0.5 + (i * 7 + j) % 100 / 200)
                if (i * 31 + j) % 1000 < accepted_share * 1000:
                    c["status"] = "accepted"
                    batch_d.append({"claim_key": c["claim_key"], "decision": "accept",
                                    "curator": "bench", "decided_at": stamp,
                                    "previous_status": "pending", "status_after": "accepted",
                                    "conflict": 0, "orphaned": 0})
                batch_c.append(c)
            for m in mention_rows.get(template["pmid"], []):
                batch_m.append({**{k: v for k, v in m.items() if k != "id"}, "pmid": pmid})
            i += 1
        with db.atomic():
            db["articles"].insert_all(batch_a, batch_size=500)
            db["claims"].insert_all(batch_c, batch_size=1000)
            if batch_m:
                db["mentions"].insert_all(batch_m, batch_size=1000)
            if batch_d:
                db["decisions"].insert_all(batch_d, batch_size=1000)
        n_articles += len(batch_a)
        n_claims += len(batch_c)
    db.execute("analyze")
    db.close()
    return n_articles, n_claims

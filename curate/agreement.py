"""Two-person review: settings, leases, settlement and inter-curator agreement.

With `reviews_per_claim` 2, a claim is settled by two curators' decisions: two that agree
settle it, two that disagree make it 'disputed' for an editor. Curators do not see each
other's decisions on an unsettled claim. Leases keep concurrent curators on different claims.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import combinations

import sqlite_utils

LEASE_MINUTES = 10


def reviews_per_claim(db: sqlite_utils.Database) -> int:
    row = db.execute("select value from review_settings where name = 'reviews_per_claim'").fetchone()
    return int(row[0]) if row else 1


def set_reviews_per_claim(db: sqlite_utils.Database, value: int) -> None:
    if value not in (1, 2):
        raise ValueError("reviews per claim must be 1 or 2")
    with db.atomic():
        db["review_settings"].upsert({"name": "reviews_per_claim", "value": str(value)}, pk="name")


def _stamp(minutes: int = 0) -> str:
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def take_lease(db: sqlite_utils.Database, claim_key: str, curator: str) -> None:
    """Hold a served claim for this curator for a few minutes (renewed while they look)."""
    with db.atomic():
        db.execute("delete from claim_leases where expires_at < ?", [_stamp()])
        db.execute("insert into claim_leases (claim_key, curator, expires_at) values (?, ?, ?) "
                   "on conflict(claim_key) do update set curator = excluded.curator, "
                   "expires_at = excluded.expires_at where claim_leases.curator = excluded.curator "
                   "or claim_leases.expires_at < ?",
                   [claim_key, curator, _stamp(LEASE_MINUTES), _stamp()])


def latest_by_curator(db: sqlite_utils.Database, claim_key: str) -> dict[str, dict]:
    """Each curator's standing decision on the claim (an undone one does not stand)."""
    standing: dict[str, dict] = {}
    for row in db.query("select * from decisions where claim_key = ? and conflict = 0 "
                        "and decision in ('accept', 'reject', 'edit', 'undo', 'add') "
                        "order by decided_at, id", [claim_key]):
        if row["decision"] == "undo":
            standing.pop(row["curator"], None)
        else:
            standing[row["curator"]] = row
    return standing


def verdict(row: dict) -> str:
    return "rejected" if row["decision"] == "reject" else "accepted"


def settlement(db: sqlite_utils.Database, claim_key: str, needed: int) -> str:
    """The claim's status from its curators' standing decisions."""
    standing = latest_by_curator(db, claim_key)
    if len(standing) < needed:
        return "pending"
    verdicts = {verdict(r) for r in standing.values()}
    return verdicts.pop() if len(verdicts) == 1 else "disputed"


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters over the same items (None with no items)."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    labels = {x for pair in pairs for x in pair}
    expected = sum((sum(a == label for a, _ in pairs) / n) * (sum(b == label for _, b in pairs) / n)
                   for label in labels)
    return 1.0 if expected == 1 else round((observed - expected) / (1 - expected), 3)


def pairwise(db: sqlite_utils.Database) -> list[dict]:
    """Per curator pair: claims both decided, raw agreement and Cohen's kappa."""
    by_claim: dict[str, dict[str, str]] = {}
    for row in db.query("select distinct claim_key from decisions where conflict = 0"):
        standing = latest_by_curator(db, row["claim_key"])
        by_claim[row["claim_key"]] = {c: verdict(r) for c, r in standing.items()
                                      if r["decision"] != "add"}
    curators = sorted({c for v in by_claim.values() for c in v})
    found = []
    for a, b in combinations(curators, 2):
        pairs = [(v[a], v[b]) for v in by_claim.values() if a in v and b in v]
        if not pairs:
            continue
        found.append({"curators": f"{a} / {b}", "in_common": len(pairs),
                      "agreement": round(sum(x == y for x, y in pairs) / len(pairs), 3),
                      "kappa": cohen_kappa(pairs)})
    return found

"""The decision log: append-only; a claim's status is its latest decision's."""
from __future__ import annotations

import sqlite_utils

STATUS_OF = {"accept": "accepted", "reject": "rejected", "edit": "accepted",
             "skip": None, "undo": None, "add": "accepted", "resolve": None}


def status_for(db: sqlite_utils.Database, claim_key: str) -> str:
    """The status the decision log gives a claim: 'pending' when nobody has decided."""
    row = db.execute("select status_after from decisions where claim_key = ? and conflict = 0 "
                     "order by id desc limit 1", [claim_key]).fetchone()
    return row[0] if row and row[0] else "pending"

"""Curator accounts: names, roles and argon2 password hashes (argon2-cffi)."""
from __future__ import annotations

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from harvest.common import now

ROLES = ("curator", "editor")
_hasher = PasswordHasher()


class AccountError(ValueError):
    pass


def add_curator(db: sqlite_utils.Database, name: str, password: str, role: str = "curator",
                replace: bool = False) -> None:
    name = name.strip()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise AccountError(f"invalid curator name {name!r}: use letters, digits and . _ - @")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise AccountError("the password needs at least 8 characters")
    if db["curators"].count_where("name = ?", [name]) and not replace:
        raise AccountError(f"curator {name!r} exists; use --reset to change the password")
    with db.atomic():
        db["curators"].upsert({"name": name, "password_hash": _hasher.hash(password),
                               "role": role, "created_at": now(), "active": 1}, pk="name")


def verify(db: sqlite_utils.Database, name: str, password: str) -> dict | None:
    """The curator's record if the password is right, else None."""
    rows = list(db.query("select * from curators where name = ? and active = 1", [name]))
    if not rows:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(rows[0]["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return {"id": rows[0]["name"], "role": rows[0]["role"]}


def get(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(db.query("select name, role from curators where name = ? and active = 1", [name]))
    return {"id": rows[0]["name"], "role": rows[0]["role"]} if rows else None

"""Curator accounts: names, roles, argon2 password hashes (argon2-cffi) and the session
generation that ends every session of a curator when it changes."""
from __future__ import annotations

import secrets
import unicodedata

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from harvest.common import now

ROLES = ("curator", "editor")
MIN_PASSWORD = 8
_hasher = PasswordHasher()


class AccountError(ValueError):
    pass


def fold_name(name: str) -> str:
    """NFKC, case-folded, stripped: how names are compared everywhere ('ＡＬＩＣＥ', 'ALICE'
    and 'alice' are one name), valid or not."""
    return unicodedata.normalize("NFKC", name or "").casefold().strip()


def normalise_name(name: str) -> str:
    """The name as stored (`fold_name`), checked: letters, digits and . _ - @, one script
    only, so a Cyrillic 'а' cannot pass for a Latin 'a'."""
    name = fold_name(name)
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-@" for c in name):
        raise AccountError(f"invalid curator name {name!r}: use letters, digits and . _ - @")
    scripts = {unicodedata.name(c, "?").split(" ")[0] for c in name if c.isalpha()}
    if len(scripts) > 1:
        raise AccountError(f"curator name {name!r} mixes scripts ({', '.join(sorted(scripts))})")
    return name


def _check_password(password: str) -> None:
    if len("".join(password.split())) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters "
                           "other than spaces")


def add_curator(db: sqlite_utils.Database, name: str, password: str, role: str = "curator",
                replace: bool = False) -> None:
    """Add a curator, or with `replace` reset an existing one's password (keeping the role
    unless `role` is given explicitly by the caller) and end their sessions."""
    name = normalise_name(name)
    if role is not None and role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    _check_password(password)
    existing = list(db.query("select * from curators where name = ?", [name]))
    if replace and not existing:
        raise AccountError(f"no curator {name!r} to reset; add one without --reset")
    if existing and not replace:
        raise AccountError(f"curator {name!r} exists; use --reset to change the password")
    with db.atomic():
        if existing:
            db["curators"].update(name, {
                "password_hash": _hasher.hash(password), "role": role or existing[0]["role"],
                "active": 1,
                "session_generation": (existing[0]["session_generation"] or 0) + 1})
        else:
            # a fresh identity: a name removed and added again is another account, whose
            # sessions the old cookies do not open
            db["curators"].insert({"name": name, "password_hash": _hasher.hash(password),
                                   "role": role or "curator", "created_at": now(), "active": 1,
                                   "session_generation": 0,
                                   "account_id": secrets.token_hex(12)})


def set_active(db: sqlite_utils.Database, name: str, active: bool) -> None:
    name = normalise_name(name)
    with db.atomic():
        if not db["curators"].count_where("name = ?", [name]):
            raise AccountError(f"no curator {name!r}")
        db.execute("update curators set active = ?, session_generation = session_generation + 1 "
                   "where name = ?", [int(active), name])


def remove(db: sqlite_utils.Database, name: str) -> None:
    """Delete the account; the curator's decisions stay in the log under their name."""
    name = normalise_name(name)
    with db.atomic():
        if not db["curators"].count_where("name = ?", [name]):
            raise AccountError(f"no curator {name!r}")
        db.execute("delete from curators where name = ?", [name])


def listing(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("select name, role, active, created_at, "
                         "(select count(*) from decisions d where d.curator = c.name) as decisions "
                         "from curators c order by name"))


def stored_hash(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(db.query("select name, role, password_hash, session_generation, account_id "
                         "from curators where name = ? and active = 1", [name]))
    return rows[0] if rows else None


def check_password(record: dict | None, password: str) -> dict | None:
    """CPU-bound argon2 check, run off the database threads by the caller."""
    if record is None:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(record["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return {"id": record["name"], "role": record["role"], "g": record["session_generation"] or 0,
            "acct": record["account_id"]}


def verify(db: sqlite_utils.Database, name: str, password: str) -> dict | None:
    """The curator's record if the password is right, else None."""
    try:
        name = normalise_name(name)
    except AccountError:
        return check_password(None, password)
    return check_password(stored_hash(db, name), password)


def get(db: sqlite_utils.Database, name: str, generation: int | None = None,
        account_id: str | None = None) -> dict | None:
    """The active curator, if the session's generation and account identity still match
    (a session check passes both; a name alone is for the command line)."""
    rows = list(db.query("select name, role, session_generation, account_id from curators "
                         "where name = ? and active = 1", [name]))
    if not rows:
        return None
    if generation is not None and (rows[0]["session_generation"] or 0) != generation:
        return None
    if generation is not None and (not account_id or rows[0]["account_id"] != account_id):
        return None
    return {"id": rows[0]["name"], "role": rows[0]["role"]}


def end_sessions(db: sqlite_utils.Database, name: str) -> None:
    db.execute("update curators set session_generation = session_generation + 1 where name = ?",
               [name])

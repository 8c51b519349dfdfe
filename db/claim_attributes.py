"""A claim's evidence attributes where the claim has none: a curator-added claim gets its
species, study type and patient count from its article as the extractor would read them
(curate.nlp.attributes), so a claim added from a mouse paper is not published or exported
as a human disease annotation."""
from __future__ import annotations

from functools import lru_cache

import sqlite_utils


def filled(db: sqlite_utils.Database, claim: dict) -> tuple[str | None, str | None, int | None]:
    """(species, study, patients) of a claims row, read from its article where the row has
    no species (curator-added claims)."""
    if claim.get("species"):
        return claim["species"], claim.get("study"), claim.get("patients")
    article = db.execute("select title, abstract from articles where pmid = ?",
                         [claim["pmid"]]).fetchone()
    if article is None:
        return None, claim.get("study"), claim.get("patients")
    types = tuple(r[0] for r in db.execute(
        "select name from publication_types where pmid = ? order by position", [claim["pmid"]]))
    found = _read(claim.get("sentence") or "", article[0] or "", article[1] or "", types)
    return (found.species, claim.get("study") or found.study,
            claim.get("patients") if claim.get("patients") is not None else found.patients)


@lru_cache(maxsize=4096)
def _read(sentence: str, title: str, abstract: str, publication_types: tuple[str, ...] = ()):
    from curate.nlp.attributes import attributes_for
    text = f"{title}\n{abstract}".strip("\n") if abstract else title
    return attributes_for(sentence, text, publication_types)

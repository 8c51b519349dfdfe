"""Light look-ups of vocabulary keys, without building the spaCy patterns: the review
server and validation need the therapy keys, not 130,000 phrases."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files


def read_lexicon(name: str) -> str:
    """A file of `curate/lexicons/`, wherever the package is installed."""
    return (files("curate") / "lexicons" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def therapies() -> dict[str, dict]:
    return json.loads(read_lexicon("therapies.json"))["therapies"]


def therapy_keys() -> frozenset[str]:
    return frozenset(therapies())

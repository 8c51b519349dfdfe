"""The claim record: the one shape a claim has from the claim builder to the claims row.

The pipeline builds `Claim`s, `curate.store` turns them into rows, a curator's added claim
is a `Claim` too. Nothing here imports spaCy, so the review server and the store can use it.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field


# the values CLAIMS.md lists for a claim's evidence attributes
SPECIES = ("human", "mouse", "other_animal", "in_vitro")
STUDIES = ("case_report", "case_series", "review", "animal_model", "in_vitro", "trial")
MAX_PATIENTS = 10_000_000


def claim_key(pmid: str, type_: str, subject: str, obj: str) -> str:
    """Stable across re-extraction: depends only on what is claimed, not on where or how."""
    raw = f"{pmid}|{type_}|{subject}|{obj}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


@dataclass
class Claim:
    claim_key: str
    type: str
    subject: str
    object: str
    negated: bool = False
    hedged: bool = False
    outcome: str | None = None
    sentence: str | None = None
    sent_start: int | None = None
    sent_end: int | None = None
    evidence: list = field(default_factory=list)  # character offsets of the entity mentions
    score: float = 1.0
    support: int = 1
    rule: str | None = None            # in plain words, for the review card
    rules: list = field(default_factory=list)  # names of the claim rules that proposed it
    species: str | None = None         # human, mouse, other_animal, in_vitro
    study: str | None = None           # case_report, case_series, review, animal_model, ...
    patients: int | None = None
    model_version: str | None = None   # the claim model that scored it, if any
    proposed: bool = True              # False: below the model's threshold

    @classmethod
    def new(cls, pmid: str, type_: str, subject: str, obj: str, **fields) -> "Claim":
        return cls(claim_key(pmid, type_, subject, obj), type_, subject, obj, **fields)

    def to_dict(self) -> dict:
        """Plain data, for a Doc that crosses a process boundary (`nlp.pipe(n_process=2)`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Claim":
        return cls(**data)

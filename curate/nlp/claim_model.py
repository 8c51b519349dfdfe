"""The claim model: a spaCy text classifier that scores each candidate claim from its
context, trained from curator decisions and gold files.

The rules propose candidates; the model reads each candidate as text (the evidence sentence
with the subject and the object marked, the rule that proposed it, the species and study
type) and says how likely a curator is to accept it. Claims under the threshold stay in the
database but are not proposed. A bag-of-words classifier (`spacy.TextCatBOW.v3`) is trained
from `spacy.blank("en")`: no vectors or downloads, and it trains in seconds on a few hundred
examples.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.training import Example

LABELS = ("ACCEPT", "REJECT")
DEFAULT_THRESHOLD = 0.2  # the highest that cost no recall in 5-fold CV on dev (docs/benchmarks.md)
SHIPPED = "claim-model"


@dataclass
class Candidate:
    """What the model reads of one claim, and (for training) the label."""
    text: str
    accept: bool | None = None
    key: str | None = None


def candidate_text(claim: dict, object_name: str | None = None) -> str:
    """The sentence with subject and object marked, prefixed by the rule and attributes."""
    sentence = claim.get("sentence") or ""
    label = (object_name or claim.get("object") or "").lower()
    marked = sentence
    if object_name and object_name.lower() in sentence.lower():
        at = sentence.lower().index(object_name.lower())
        marked = sentence[:at] + " [OBJ] " + sentence[at:at + len(object_name)] + " [/OBJ] " + \
            sentence[at + len(object_name):]
    rule = (claim.get("rule") or "none").split(";")[0].replace(" ", "_")
    flags = [f"rule_{rule}", f"type_{claim.get('type')}", f"subject_{claim.get('subject')}",
             f"species_{claim.get('species')}", f"study_{claim.get('study')}",
             "negated" if claim.get("negated") else "affirmed",
             "hedged" if claim.get("hedged") else "plain"]
    return " ".join(flags) + f" object {label} || " + marked


def new_model() -> Language:
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
        "no_output_layer": False, "length": 262144}})
    for label in LABELS:
        textcat.add_label(label)
    return nlp


def train(candidates: list[Candidate], epochs: int = 12, seed: int = 0) -> Language:
    """A model trained on labelled candidates (both labels needed)."""
    labelled = [c for c in candidates if c.accept is not None]
    if not labelled or len({c.accept for c in labelled}) < 2:
        raise ValueError("training needs accepted and rejected examples")
    spacy.util.fix_random_seed(seed)
    nlp = new_model()
    examples = [Example.from_dict(nlp.make_doc(c.text), {"cats": {
        "ACCEPT": float(c.accept), "REJECT": float(not c.accept)}}) for c in labelled]
    nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=16):
            nlp.update(batch, drop=0.1)
    return nlp


def score(nlp: Language, texts: Iterable[str]) -> list[float]:
    return [doc.cats.get("ACCEPT", 0.0) for doc in nlp.pipe(texts, batch_size=256)]


def save(nlp: Language, folder: Path, info: dict) -> str:
    """Write the model with a version derived from its bytes; returns the version."""
    data = nlp.to_bytes()
    version = "claim-model-" + hashlib.sha256(data).hexdigest()[:12]
    nlp.meta["name"] = "higm_claim_model"
    nlp.meta["higm"] = {**info, "version": version}
    folder.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(folder)
    return version


def version_of(nlp: Language) -> str:
    return nlp.meta.get("higm", {}).get("version", "unversioned")


def threshold_of(nlp: Language) -> float:
    return float(nlp.meta.get("higm", {}).get("threshold", DEFAULT_THRESHOLD))


def shipped_path() -> Path:
    return Path(str(files("curate.nlp") / "models" / SHIPPED))


_LOADED: dict[str, Language | None] = {}


def load(path: str | Path | None = None) -> Language | None:
    """The model at `path`, else HIGM_CLAIM_MODEL, else the shipped one (None if absent)."""
    import os
    where = Path(path or os.environ.get("HIGM_CLAIM_MODEL") or shipped_path())
    key = str(where)
    if key not in _LOADED:
        _LOADED[key] = spacy.load(where) if (where / "meta.json").exists() else None
    return _LOADED[key]


def info(path: str | Path) -> dict:
    return json.loads((Path(path) / "meta.json").read_text(encoding="utf-8")).get("higm", {})

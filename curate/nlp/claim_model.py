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
    nlp.meta["higm"] = {**info, "version": version, "format": FORMAT}
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


class ClaimModelError(OSError):
    """A model folder that cannot be used: missing, corrupt, or written by another version.
    An OSError, as an unreadable input file is: the CLI reports it in one line."""


# what `save` writes and `load` reads; a model of another format is refused, not misread
FORMAT = 1
# HIGM_CLAIM_MODEL=/none: extract with the rules alone, asked for explicitly
RULES_ALONE = ("/none", "none")
_HINT = "retrain with `higm train`, or set HIGM_CLAIM_MODEL=/none to extract with the rules alone"


def load(path: str | Path | None = None) -> Language | None:
    """The model at `path`, else HIGM_CLAIM_MODEL, else the shipped one (None if the shipped
    one is absent, or HIGM_CLAIM_MODEL=/none). A folder named explicitly that is missing,
    corrupt or from another version raises ClaimModelError: never the rules alone unasked."""
    import os
    named = path or os.environ.get("HIGM_CLAIM_MODEL") or None
    if named is not None and str(named).strip().lower() in RULES_ALONE:
        return None
    where = Path(named or shipped_path())
    key = str(where)
    if key not in _LOADED:
        _LOADED[key] = _read(where, explicit=named is not None)
    return _LOADED[key]


def _read(where: Path, explicit: bool) -> Language | None:
    meta_path = where / "meta.json"
    if not meta_path.is_file():
        if explicit:
            raise ClaimModelError(f"no claim model at {where} (a folder `higm train` wrote); {_HINT}")
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ClaimModelError(f"corrupt claim model at {where}: meta.json unreadable ({exc}); "
                              f"{_HINT}") from None
    if not isinstance(meta, dict) or meta.get("name") != "higm_claim_model":
        raise ClaimModelError(f"{where} is not a claim model (its meta.json names "
                              f"{str(meta.get('name') if isinstance(meta, dict) else meta)[:40]!r}); {_HINT}")
    made = meta.get("higm", {}).get("format", FORMAT)  # models written before the field: 1
    spacy_wanted = meta.get("spacy_version", "")
    if made != FORMAT or (spacy_wanted and not spacy.util.is_compatible_version(
            spacy.about.__version__, spacy_wanted)):
        raise ClaimModelError(f"the claim model at {where} was written by another version "
                              f"(format {made}, spaCy {spacy_wanted or '?'}; this one reads format "
                              f"{FORMAT} with spaCy {spacy.about.__version__}); {_HINT}")
    try:
        return spacy.load(where)
    except Exception as exc:  # spaCy raises many kinds on a damaged folder
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise ClaimModelError(f"corrupt claim model at {where}: {first}; {_HINT}") from None


def info(path: str | Path) -> dict:
    return json.loads((Path(path) / "meta.json").read_text(encoding="utf-8")).get("higm", {})

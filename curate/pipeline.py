"""Build, cache and load the spaCy pipeline.

The pipeline is built from spacy.blank("en") and the vocabularies, saved with
nlp.to_disk under a cache folder named by the vocabularies' fingerprint, and loaded from
there afterwards: it is rebuilt only when a vocabulary file or the HPO release changes.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import spacy
from negspacy.negation import Negex  # noqa: F401  (registers the "negex" factory)
from negspacy.termsets import termset
from spacy.language import Language

import curate.claims  # noqa: F401  (registers "higm_claims")
import curate.entities  # noqa: F401  (registers "higm_entities")
import curate.sentences  # noqa: F401  (registers "higm_sentences")
from curate.tokenizer import customise
from curate.vocab import load_vocabulary

log = logging.getLogger("higm.extract")
PIPELINE_VERSION = "1"
NEGEX_SPANS = curate.entities.NEGEX_SPANS

# Trailing and extra negations NegEx's clinical set lacks (STACK_NOTES: "Neutropenia was absent").
EXTRA_NEGATIONS = {
    "following_negations": ["was absent", "were absent", "is absent", "are absent",
                            "was not observed", "were not observed", "was not found",
                            "were not found", "was not detected", "were not detected",
                            "did not occur", "was not seen", "were not seen", "was excluded"],
    "preceding_negations": ["none of the", "none of", "none had", "none of the patients had", "none developed",
                            "did not develop", "do not develop", "does not develop",
                            "did not have", "do not have", "without any", "free of",
                            "no evidence of", "no patient had", "no patients had",
                            "lack of", "absence of"],
    "termination": ["but", "whereas", "while", "although", "however", "except"],
}


def cache_dir() -> Path:
    root = os.environ.get("HIGM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "higm-evidence")
    return Path(root)


def build() -> Language:
    """A fresh pipeline from the vocabularies (about a second or two)."""
    vocab = load_vocabulary()
    nlp = spacy.blank("en")
    customise(nlp)
    nlp.add_pipe("higm_sentences")
    entities = nlp.add_pipe("higm_entities")
    entities.set_vocabulary(vocab)
    terms = termset("en_clinical")
    terms.add_patterns(EXTRA_NEGATIONS)
    # "lack of" / "absence of" also act as quantity cues ("absence of IgA"): those spans skip NegEx.
    # NegEx reads the entities from a span group: its default, Span.ents per clause,
    # rebuilds doc.ents token by token for every clause and cost more than all else
    nlp.add_pipe("negex", config={"neg_termset": terms.get_patterns(),
                                  "ent_types": ["PHENOTYPE", "THERAPY", "GENE"], "chunk_prefix": [],
                                  "span_keys": [NEGEX_SPANS]})
    nlp.add_pipe("higm_claims")
    nlp.meta["name"] = "higm_extractor"
    nlp.meta["version"] = f"{PIPELINE_VERSION}.0.0"
    nlp.meta["higm_fingerprint"] = vocab.fingerprint
    nlp.meta["releases"] = {"hpo": vocab.hpo_release, "hgnc": vocab.hgnc_release}
    return nlp


def extractor_version() -> str:
    return f"higm-extract-{PIPELINE_VERSION}+{load_vocabulary().fingerprint}"


_LOADED: dict[str, Language] = {}


def load(rebuild: bool = False) -> Language:
    """The cached pipeline, built and saved first if the vocabularies changed.

    Loaded once per process: a second call (the demo, a benchmark) reuses it."""
    fingerprint = load_vocabulary().fingerprint
    if fingerprint in _LOADED and not rebuild:
        return _LOADED[fingerprint]
    _LOADED.clear()
    _LOADED[fingerprint] = nlp = _load_from_cache(fingerprint, rebuild)
    return nlp


def _load_from_cache(fingerprint: str, rebuild: bool) -> Language:
    path = cache_dir() / f"pipeline-{PIPELINE_VERSION}-{fingerprint}"
    if path.exists() and not rebuild:
        try:
            return spacy.load(path)
        except Exception as exc:  # a damaged cache is rebuilt, not fatal
            log.warning("rebuilding the cached pipeline at %s: %s", path, exc)
    nlp = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=".building-"))
    nlp.to_disk(staging)
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)
    os.replace(staging, path)  # atomic: a concurrent reader never sees half a pipeline
    log.info("built the extraction pipeline at %s", path)
    return nlp


def text_of(title: str | None, abstract: str | None) -> str:
    """The text the pipeline reads for an article; mention offsets point into it."""
    return f"{title or ''}\n{abstract or ''}".strip("\n") if abstract else (title or "")
